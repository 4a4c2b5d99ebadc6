import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { LIFECYCLE_ACTION_NAMES, type Severity, type Status } from '@complaints/domain';
import { addTime, durationMs, elapsedTime } from '../deadlines/working-calendar';
import type { TimeLimit } from '../policies/deadline-policy';
import { ActionRefused, applyAction, awaitingApproval, checkAction, policyOf, WAITING } from './actions';
import type { createActivities } from './activities';
import { changeLimit, pauseClock, rearmClock, resumeClock, startClock, stopClock } from './clocks';
import { higher, oneUp, TOP_LEVEL } from './ladder';
import { supervisionDueAt, supervisionOverdue } from './supervision';
import {
  actionUpdates,
  handlerSignal,
  mergeSignal,
  moveSignal,
  severitySignal,
  stateQuery,
  unmergeSignal,
  withdrawSignal,
} from './messages';
import type {
  ActionRequest,
  BreachCause,
  DeadlineClock,
  LifecycleEvent,
  LifecycleInput,
  LifecycleState,
  PublishLifecycleEventInput,
  StaffRef,
} from './types';

const { publishLifecycleEvent, publishLifecycleEvents } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  // A breach must reach people however long NATS is away: retry without limit.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Continue-as-new after this many steps of one run, or sooner when the server suggests it:
 * histories stay bounded however long a complaint lives. Counted here rather than read from
 * workflowInfo().historyLength, which the time-skipping test server does not report.
 */
const DEFAULT_STEP_LIMIT = 300;

/**
 * Runs started by this code publish the events of one step in one activity (the start and its
 * receipt escalation: one activity before the first timer, issue 17 item 4); runs started by
 * earlier code, replayed, keep one activity per event. Remove with `deprecatePatch` once no
 * lifecycle started before it is still running.
 */
const BATCHED_PUBLISH_PATCH = 'publish-events-batched';
/**
 * Runs started or woken by this code keep the lifecycle record up to date after a change that
 * publishes no event (a new handler): the record answers the API, and it would show the old
 * handler until the next step. Histories from before replay without the extra activity.
 */
const RECORD_QUIET_CHANGES_PATCH = 'record-quiet-changes';
/**
 * Runs started by this code remind the caller when a planned callback attempt is due (the plan
 * in the state, see actions.ts); runs started earlier, replayed, wake for no such timer.
 */
const CALLBACK_RETRY_PATCH = 'callback-retry-reminders';
/** Runs resolving a non-liable complaint with this code start no callback deadline for it (SPEC §4). */
const NON_LIABLE_PATCH = 'non-liable-explained';
/** Keeps one activity's input small (an event is well under 1 kB). */
const MAX_EVENTS_PER_ACTIVITY = 50;

/**
 * A deadline with less than this share of its time left when the lifecycle started (it had
 * passed, or was about to, before anyone could see the complaint: routing or the start fell
 * behind) is the platform's miss, not staff's: its first breach is recorded as `platform_late`.
 * The deadline itself does not move (it is the complainant's), and the ladder still climbs
 * (SPEC §6: an overdue complaint goes one level up, whoever made it late); the next level gets
 * the full time again, and a miss of that is staff's.
 */
const PLATFORM_LATE_SHARE = 0.1;
const FINAL: Status[] = ['closed', 'withdrawn'];
const UNRESOLVED: Status[] = [
  'assigned',
  'acknowledged',
  'investigating',
  'plan_proposed',
  'plan_approved',
  'awaiting_complainant',
  'awaiting_outside_body',
  'awaiting_work_order',
];

function firstReplyLimit(input: LifecycleInput, severity: Severity): TimeLimit {
  const letter = input.channel === 'letter' || input.channel === 'fax';
  return letter ? input.policy.letterFirstReply : input.policy.severities[severity].firstReply;
}

/**
 * The resolution limit: the policy's, or a shorter calendar one that ends at the complainant's
 * requested date when that comes first (SPEC §5). A limit, not a fixed time, so that pauses and
 * extensions treat it like any other.
 */
function resolutionLimit(input: LifecycleInput, severity: Severity): TimeLimit {
  const policy = input.policy.severities[severity].resolution;
  if (!input.requestedBy) return policy;
  const receivedAt = new Date(input.receivedAt);
  const requested = Date.parse(input.requestedBy);
  const policyDue = addTime(
    receivedAt,
    durationMs(policy.duration, policy.basis, input.calendar),
    policy.basis,
    input.calendar,
  );
  if (Number.isNaN(requested) || requested <= receivedAt.getTime() || requested >= policyDue.getTime()) return policy;
  return { duration: `PT${Math.floor((requested - receivedAt.getTime()) / 1000)}S`, basis: 'calendar' };
}

function initialState(input: LifecycleInput): LifecycleState {
  const policy = input.policy.severities[input.severity];
  const receivedAt = new Date(input.receivedAt);
  const reminder = policy.reminderAt;
  return {
    groupId: input.groupId,
    complaintId: input.complaintId,
    propertyId: input.propertyId,
    regionId: input.regionId,
    status: 'assigned',
    pausedFrom: null,
    severity: input.severity,
    level: policy.startLevel,
    handler: input.handler,
    propertyHead: input.propertyHead,
    round: 1,
    clocks: [
      startClock('firstReplyBy', firstReplyLimit(input, input.severity), receivedAt, reminder, input.calendar),
      startClock('resolveBy', resolutionLimit(input, input.severity), receivedAt, reminder, input.calendar),
    ],
    breaches: [],
    extensions: [],
    plan: null,
    resolution: null,
    callbacks: [],
    autoUpgraded: false,
    lastProgressAt: input.receivedAt,
    eventSeq: 0,
    startedAt: new Date(Date.now()).toISOString(),
  };
}

/** Who is told at once on receipt or on becoming major (SPEC §5 table, §6). */
function receiptEvent(state: LifecycleState, input: LifecycleInput, cause: string): LifecycleEvent | undefined {
  const policy = policyOf(state, input);
  const notify = [...policy.notifyOnReceipt, ...(input.alertGroupHq ? [TOP_LEVEL] : [])];
  if (notify.length === 0 && policy.startLevel === 'frontline') return undefined;
  return { kind: 'escalated', from: 'frontline', to: state.level, cause, notify };
}

/**
 * The lifecycle of one complaint (SPEC §4–§6): staff move it on through updates, timers enforce
 * its deadlines, every change is published as an event. Runs until closed or withdrawn.
 */
export async function complaintLifecycleWorkflow(input: LifecycleInput): Promise<LifecycleState> {
  const batched = patched(BATCHED_PUBLISH_PATCH);
  const retryReminders = patched(CALLBACK_RETRY_PATCH);
  const state = input.resume ?? initialState(input);
  // Events wait here with the state they happened in; the main loop publishes them in order.
  const outbox: PublishLifecycleEventInput[] = [];
  /** A change with no event of its own is not in the lifecycle record yet. */
  let unrecorded = false;
  let changes = 0;
  const now = () => new Date(Date.now());
  const context = () => ({ now: now(), input });
  const reminderShare = () => policyOf(state, input).reminderAt;
  const emit = (...events: LifecycleEvent[]) => {
    for (const event of events) {
      state.eventSeq += 1;
      outbox.push({
        groupId: state.groupId,
        complaintId: state.complaintId,
        eventKey: `lifecycle:${state.complaintId}:${state.eventSeq}`,
        occurredAt: now().toISOString(),
        severity: state.severity,
        level: state.level,
        round: state.round,
        status: state.status,
        deadlines: Object.fromEntries(state.clocks.map((clock) => [clock.name, clock.dueAt ?? ''])),
        awaitingApprovalLevel: awaitingApproval(state) ? policyOf(state, input).approver : '',
        event,
      });
    }
  };

  if (!input.resume) {
    emit({
      kind: 'transitioned',
      action: 'start',
      from: 'assigned',
      to: 'assigned',
      actor: null,
      reason: '',
      details: {},
    });
    const receipt = receiptEvent(state, input, 'on_receipt');
    if (receipt) emit(receipt);
    // A deadline already passed at start breaches now, published with the start in one activity.
    if (batched) fireDueTimers();
  }

  function changeSeverity(severity: Severity, actor: StaffRef | null, reason: string, cause: string): void {
    if (severity === state.severity) return;
    const from = state.severity;
    state.severity = severity;
    const policy = policyOf(state, input);
    const at = now();
    for (const clock of state.clocks) {
      const limit =
        clock.name === 'firstReplyBy'
          ? firstReplyLimit(input, severity)
          : clock.name === 'resolveBy'
            ? resolutionLimit(input, severity)
            : policy.callback;
      changeLimit(clock, limit, at, policy.reminderAt, input.calendar);
    }
    const fromLevel = state.level;
    state.level = higher(state.level, policy.startLevel);
    emit({
      kind: 'transitioned',
      action: 'change_severity',
      from: state.status,
      to: state.status,
      actor,
      reason,
      details: { from, to: severity, cause },
    });
    if (state.level !== fromLevel || policy.notifyOnReceipt.length > 0) {
      const notify = [...policy.notifyOnReceipt, ...(input.alertGroupHq ? [TOP_LEVEL] : [])];
      emit({ kind: 'escalated', from: fromLevel, to: state.level, cause, notify });
    }
  }

  setHandler(stateQuery, () => state);
  for (const name of LIFECYCLE_ACTION_NAMES) {
    setHandler(
      actionUpdates[name],
      (request) => {
        const resolving = request.action === 'resolve' ? { nonLiableExplained: patched(NON_LIABLE_PATCH) } : {};
        emit(...applyAction(state, request, { ...context(), ...resolving }));
        changes++;
        return state;
      },
      {
        validator: (request: ActionRequest) => {
          if (request.action !== name) throw ApplicationFailure.nonRetryable(`sent to ${name}`, 'illegal_transition');
          try {
            checkAction(state, request, context());
          } catch (error) {
            if (error instanceof ActionRefused) throw ApplicationFailure.nonRetryable(error.message, error.kind);
            throw error;
          }
        },
      },
    );
  }
  setHandler(unmergeSignal, ({ actor, reason }) => {
    if (state.status !== 'merged') return;
    const back = state.pausedFrom ?? 'assigned';
    for (const clock of state.clocks) resumeClock(clock, now(), reminderShare(), input.calendar);
    state.pausedFrom = null;
    // Merged while waiting on an outside body, it comes back to work: nobody is waited on now.
    if (state.waitingOn) state.waitingOn = null;
    state.status = back;
    emit({ kind: 'transitioned', action: 'unmerge', from: 'merged', to: back, actor, reason, details: {} });
    changes++;
  });
  setHandler(withdrawSignal, () => {
    state.status = 'withdrawn';
    unrecorded = true;
    changes++;
  });
  setHandler(mergeSignal, ({ intoComplaintId }) => {
    if (FINAL.includes(state.status) || state.status === 'merged') return;
    state.pausedFrom = WAITING.includes(state.status) ? state.pausedFrom : state.status;
    for (const clock of state.clocks) pauseClock(clock, now(), input.calendar);
    const from = state.status;
    state.status = 'merged';
    emit({
      kind: 'transitioned',
      action: 'merge',
      from,
      to: 'merged',
      actor: null,
      reason: '',
      details: { intoComplaintId },
    });
    changes++;
  });
  setHandler(severitySignal, ({ severity, actor, reason }) => {
    if (FINAL.includes(state.status)) return;
    changeSeverity(severity, actor, reason, 'reclassified');
    changes++;
  });
  setHandler(handlerSignal, ({ handler }) => {
    state.handler = handler;
    unrecorded = true;
    changes++;
  });
  setHandler(moveSignal, (move) => {
    // A redelivered move, or one after the end, changes nothing.
    if (FINAL.includes(state.status) || move.propertyId === state.propertyId) return;
    const from = state.propertyId;
    state.propertyId = move.propertyId;
    state.regionId = move.regionId;
    // Nobody on duty in the department there: no handler, the property's team sees it unassigned.
    state.handler = move.handler;
    state.propertyHead = move.propertyHead;
    // The clocks, the policy and the ladder level stay: the complainant's deadlines do not restart.
    emit({
      kind: 'transitioned',
      action: 'move',
      from: state.status,
      to: state.status,
      actor: move.actor,
      reason: move.reason,
      details: { fromPropertyId: from, toPropertyId: move.propertyId, handler: state.handler?.name ?? null },
    });
    changes++;
  });

  /** Whose miss a breach of this clock, due now, is (see PLATFORM_LATE_SHARE). */
  function breachCause(clock: DeadlineClock): BreachCause {
    // After a first miss the clock was rearmed with its full time: later misses are staff's.
    if (!state.startedAt || !clock.dueAt || clock.breaches > 0) return 'missed';
    const left = elapsedTime(new Date(state.startedAt), new Date(clock.dueAt), clock.limit.basis, input.calendar);
    return left < clock.allowedMs * PLATFORM_LATE_SHARE ? 'platform_late' : 'missed';
  }

  /** Reminders, breaches (each climbing the ladder), the 30-day upgrade and progress updates now due. */
  function fireDueTimers(): void {
    const at = now();
    const policy = policyOf(state, input);
    for (const clock of state.clocks) {
      const due = clock.dueAt !== null && at.getTime() >= Date.parse(clock.dueAt);
      if (clock.remindAt && !clock.reminded && at.getTime() >= Date.parse(clock.remindAt) && clock.dueAt) {
        clock.reminded = true;
        // "Due soon" for a deadline passing this very moment says nothing the breach does not.
        if (!(batched && due)) emit({ kind: 'reminder', deadline: clock.name, dueAt: clock.dueAt });
      }
      if (due && clock.dueAt) {
        const dueAt = clock.dueAt;
        const cause = breachCause(clock);
        const from = state.level;
        if (from === TOP_LEVEL) stopClock(clock);
        else {
          state.level = oneUp(from);
          rearmClock(clock, at, policy.reminderAt, input.calendar);
        }
        state.breaches.push({ deadline: clock.name, dueAt, at: at.toISOString(), levelReached: state.level, cause });
        emit({ kind: 'breached', deadline: clock.name, dueAt, cause });
        if (state.level !== from) {
          emit({ kind: 'escalated', from, to: state.level, cause: `breach:${clock.name}`, notify: [state.level] });
        }
      }
    }
    const upgradeAt = autoUpgradeAt();
    if (upgradeAt !== undefined && at.getTime() >= upgradeAt) {
      state.autoUpgraded = true;
      changeSeverity('major', null, '', 'open_30_days');
    }
    const progressAt = progressUpdateAt();
    if (progressAt !== undefined && at.getTime() >= progressAt) {
      state.lastProgressAt = at.toISOString();
      emit({ kind: 'reminder', deadline: 'progressUpdate', dueAt: new Date(progressAt).toISOString() });
    }
    emit(...supervisionOverdue(state, at));
    const attemptAt = callbackAttemptAt();
    if (attemptAt !== undefined && at.getTime() >= attemptAt && state.callbackPlan) {
      const plan = state.callbackPlan;
      plan.reminded = true;
      const dueAt = new Date(attemptAt).toISOString();
      emit({ kind: 'reminder', deadline: 'callbackAttempt', dueAt, ...(plan.caller ? { staff: plan.caller } : {}) });
    }
  }

  /** When the caller is to be reminded of the next callback attempt, if one is planned. */
  function callbackAttemptAt(): number | undefined {
    const plan = state.callbackPlan;
    if (!retryReminders || state.status !== 'resolved' || !plan?.nextAttemptAt || plan.reminded) return undefined;
    return Date.parse(plan.nextAttemptAt);
  }

  function autoUpgradeAt(): number | undefined {
    if (state.autoUpgraded || state.severity === 'major' || !UNRESOLVED.includes(state.status)) return undefined;
    const limit = policyOf(state, input).autoUpgradeAfter;
    const amount = durationMs(limit.duration, limit.basis, input.calendar);
    return addTime(new Date(input.receivedAt), amount, limit.basis, input.calendar).getTime();
  }

  function progressUpdateAt(): number | undefined {
    const every = policyOf(state, input).progressUpdateEvery;
    if (!every || !UNRESOLVED.includes(state.status) || state.status === 'awaiting_complainant') return undefined;
    const amount = durationMs(every.duration, every.basis, input.calendar);
    return addTime(new Date(state.lastProgressAt), amount, every.basis, input.calendar).getTime();
  }

  function nextWakeUp(): number | undefined {
    const times: number[] = [];
    for (const clock of state.clocks) {
      if (clock.remindAt && !clock.reminded) times.push(Date.parse(clock.remindAt));
      if (clock.dueAt) times.push(Date.parse(clock.dueAt));
    }
    const upgradeAt = autoUpgradeAt();
    if (upgradeAt !== undefined) times.push(upgradeAt);
    const progressAt = progressUpdateAt();
    if (progressAt !== undefined) times.push(progressAt);
    const attemptAt = callbackAttemptAt();
    if (attemptAt !== undefined) times.push(attemptAt);
    const supervisionAt = supervisionDueAt(state);
    if (supervisionAt !== undefined) times.push(supervisionAt);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Publishes what was emitted, in order; events emitted meanwhile (by handlers) go next. */
  async function publishOutbox(): Promise<void> {
    // The state goes with the last batch of events; without any, alone.
    if (unrecorded && outbox.length === 0 && batched && patched(RECORD_QUIET_CHANGES_PATCH)) {
      unrecorded = false;
      await publishLifecycleEvents([], state);
    }
    unrecorded = false;
    while (outbox.length > 0) {
      if (batched) {
        const batch = outbox.slice(0, MAX_EVENTS_PER_ACTIVITY);
        // The state goes with the step's last batch: the lifecycle record follows every step.
        await publishLifecycleEvents(batch, batch.length === outbox.length ? state : undefined);
        outbox.splice(0, batch.length);
      } else {
        await publishLifecycleEvent(outbox[0]);
        outbox.shift();
      }
    }
  }

  // Steps of this run: wake-ups and events published (each adds a handful of history events).
  let wakeUps = 0;
  const firstSeq = state.eventSeq;
  const steps = () => wakeUps + state.eventSeq - firstSeq;
  while (!FINAL.includes(state.status)) {
    await publishOutbox();
    if (workflowInfo().continueAsNewSuggested || steps() >= (input.stepLimit ?? DEFAULT_STEP_LIMIT)) {
      await condition(allHandlersFinished);
      await publishOutbox();
      if (!FINAL.includes(state.status))
        return continueAsNew<typeof complaintLifecycleWorkflow>({ ...input, resume: state });
    }
    const wakeAt = nextWakeUp();
    const seen = changes;
    const woken = () => changes !== seen || outbox.length > 0 || FINAL.includes(state.status);
    if (wakeAt === undefined) await condition(woken);
    else if (wakeAt > Date.now()) await condition(woken, wakeAt - Date.now());
    wakeUps++;
    fireDueTimers();
  }
  await publishOutbox();
  return state;
}

// The worker runs one workflows module: repair work orders' timers come with it.
export { workOrderDeadlinesWorkflow } from '../work-orders/work-order.workflow';
// The corrective action timers run on the same workers, from the same bundle.
export { correctiveActionWorkflow } from '../corrective-actions/workflow';
