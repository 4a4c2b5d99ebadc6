import { fromCents, levelNeededFor, toCents, type DeadlineName, type RoleLevel, type Status } from '@complaints/domain';
import { addTime, durationMs } from '../deadlines/working-calendar';
import { callbackRetry } from '../policies/deadline-policy';
import { extendClock, extensionMs, meetClock, pauseClock, resumeClock, startClock } from './clocks';
import { atLeast, higher, oneUp } from './ladder';
import { applySupervision, checkSupervision, isSupervisionRequest } from './supervision';
import type {
  ActionRequest,
  CallbackPlan,
  CallbackRecord,
  DeadlineClock,
  LifecycleEvent,
  LifecycleInput,
  LifecycleState,
  Resolution,
  StaffRef,
} from './types';

// The SPEC §4 state machine: for each staff action, when it is allowed (the update's validator)
// and what it changes (the update's handler). Pure: the workflow passes the time in.

export interface ActionContext {
  now: Date;
  input: LifecycleInput;
  /** False in runs resolved before non-liable complaints closed without a callback (replay). */
  nonLiableExplained?: boolean;
}

/** Why an action is refused: an illegal transition, or an actor whose ladder level is too low. */
export class ActionRefused extends Error {
  constructor(
    readonly kind: 'illegal_transition' | 'role_too_low',
    message: string,
  ) {
    super(message);
    this.name = 'ActionRefused';
  }
}

const WORKING: Status[] = ['acknowledged', 'investigating', 'plan_proposed', 'plan_approved'];
/** Paused for someone else (the deadlines stand still); `resume` goes back to work. */
export const WAITING: Status[] = ['awaiting_complainant', 'awaiting_outside_body', 'awaiting_work_order'];
const SUPERVISOR: RoleLevel = 'supervisor';

export function policyOf(state: LifecycleState, input: LifecycleInput) {
  return input.policy.severities[state.severity];
}

/** A proposed plan or a requested extension waits for the policy's approver. */
export function awaitingApproval(state: LifecycleState): boolean {
  return state.status === 'plan_proposed' || state.extensions.some((extension) => extension.status === 'pending');
}

export function clockOf(state: LifecycleState, name: DeadlineName): DeadlineClock | undefined {
  return state.clocks.find((clock) => clock.name === name);
}

function illegal(message: string): never {
  throw new ActionRefused('illegal_transition', message);
}

function requireStatus(state: LifecycleState, allowed: Status[], action: string): void {
  if (!allowed.includes(state.status)) {
    illegal(`cannot ${action} a complaint that is ${state.status} (allowed when ${allowed.join(', ')})`);
  }
}

function requireLevel(request: ActionRequest, floor: RoleLevel, why: string): void {
  if (!atLeast(request.actor.level, floor)) {
    throw new ActionRefused(
      'role_too_low',
      `${request.actor.name} (${request.actor.level}) may not ${why}: it needs ${floor} or above`,
    );
  }
}

function pendingExtension(state: LifecycleState, number: number) {
  const extension = state.extensions.find((candidate) => candidate.number === number);
  if (!extension) illegal(`there is no extension request ${number}`);
  if (extension.status !== 'pending') illegal(`extension request ${number} was already ${extension.status}`);
  return extension;
}

function lastCallback(state: LifecycleState) {
  return state.callbacks.filter((callback) => callback.outcome === 'completed').at(-1);
}

/** The failed callback attempts since the complaint was last resolved (earlier rounds' do not count). */
export function attemptsSinceResolution(state: LifecycleState): CallbackRecord[] {
  const since = state.resolution?.at ?? '';
  return state.callbacks.filter((callback) => callback.outcome === 'attempt' && callback.at >= since);
}

function newCallbackPlan(state: LifecycleState, input: LifecycleInput): CallbackPlan {
  return {
    attemptsMade: 0,
    attemptsAllowed: callbackRetry(policyOf(state, input)).attempts,
    nextAttemptAt: null,
    caller: null,
    reminded: false,
  };
}

function checkUnreachable(state: LifecycleState, input: LifecycleInput): void {
  requireStatus(state, ['resolved'], 'close as unreachable');
  if (explainedOnly(state.resolution))
    illegal(`${outcomeOf(state.resolution)} complaint closes without a callback: leave out unreachable`);
  const plan = state.callbackPlan ?? newCallbackPlan(state, input);
  const made = attemptsSinceResolution(state).length;
  if (made < plan.attemptsAllowed) {
    const next = plan.nextAttemptAt ? `; the next is due ${plan.nextAttemptAt}` : '';
    illegal(
      `closing as unreachable needs ${plan.attemptsAllowed} failed callback attempts: ${made} made so far${next}`,
    );
  }
}

/** A survey's answer counts for the survey last sent, since the complaint was last resolved, once. */
function checkSurveyAnswer(state: LifecycleState, number: number): void {
  const survey = state.survey;
  if (!survey || (state.resolution && survey.sentAt < state.resolution.at)) {
    illegal('no survey is open for this complaint');
  }
  if (number !== survey.number) {
    illegal(
      `this link is for survey ${number}, and survey ${survey.number} was sent since: answer through the latest link`,
    );
  }
  if (survey.answeredAt) illegal(`this survey was already answered (${survey.answeredAt})`);
  if (state.status !== 'resolved') illegal(`the survey can no longer be answered: the complaint is ${state.status}`);
}

/** Throws ActionRefused when the action is not allowed now; the update's validator. */
export function checkAction(state: LifecycleState, request: ActionRequest, context: ActionContext): void {
  if (isSupervisionRequest(request)) return checkSupervision(state, request, context.now);
  const policy = policyOf(state, context.input);
  switch (request.action) {
    case 'acknowledge':
      return requireStatus(state, ['assigned'], 'acknowledge');
    case 'start_investigation':
      return requireStatus(state, ['acknowledged'], 'start investigating');
    case 'propose_plan':
      return requireStatus(state, ['acknowledged', 'investigating'], 'propose a plan for');
    case 'approve_plan':
    case 'reject_plan':
      requireStatus(state, ['plan_proposed'], 'decide on the plan of');
      return requireLevel(request, policy.approver, `decide on this ${state.severity} complaint's plan`);
    case 'request_extension': {
      const clock = clockOf(state, request.params.deadline);
      if (!clock || clock.metAt) illegal(`${request.params.deadline} is not running, so it cannot be extended`);
      if (!clock.dueAt) illegal(`${request.params.deadline} is paused; extend it once the clock runs again`);
      if (context.now.getTime() >= Date.parse(clock.dueAt)) {
        illegal(`${request.params.deadline} (${clock.dueAt}) has passed: extensions are requested before the deadline`);
      }
      if (Date.parse(request.params.until) <= Date.parse(clock.dueAt)) {
        illegal(`until must be after the current ${request.params.deadline} (${clock.dueAt})`);
      }
      const pending = state.extensions.find((e) => e.deadline === request.params.deadline && e.status === 'pending');
      if (pending) illegal(`extension request ${pending.number} for ${request.params.deadline} is still pending`);
      return;
    }
    case 'approve_extension':
    case 'reject_extension':
      pendingExtension(state, request.params.number);
      return requireLevel(request, policy.approver, `decide on this ${state.severity} complaint's extension`);
    case 'await_complainant':
      return requireStatus(state, WORKING, 'wait for the complainant on');
    case 'await_outside_body':
      return requireStatus(state, WORKING, 'wait for an outside body on');
    case 'await_work_order':
      return requireStatus(state, WORKING, 'wait for a work order on');
    case 'give_progress':
      return requireStatus(state, WORKING, 'give progress on');
    case 'resume':
      return requireStatus(state, WAITING, 'resume');
    case 'resolve': {
      const needsPlan = state.severity !== 'general' && request.params.validity === 'valid';
      if (needsPlan && state.status !== 'plan_approved') {
        illegal(`a ${state.severity} complaint needs an approved plan before it is resolved (it is ${state.status})`);
      }
      requireStatus(state, WORKING, 'resolve');
      requireLevel(request, state.level, `resolve a complaint escalated to ${state.level}`);
      const amount = request.params.remedy?.amount;
      if (amount) {
        const written = fromCents(toCents(amount));
        requireLevel(request, levelNeededFor(amount), `approve a ${request.params.remedy?.kind} of ${written}`);
      }
      return;
    }
    case 'record_callback':
      requireStatus(state, ['resolved'], 'record a callback for');
      return requireLevel(request, SUPERVISOR, 'call back (SPEC §5: a supervisor or above)');
    case 'send_survey':
      requireStatus(state, ['resolved'], 'send the satisfaction survey of');
      return requireLevel(
        request,
        SUPERVISOR,
        'send the satisfaction survey (SPEC §5: a supervisor or above calls back)',
      );
    case 'answer_survey':
      return checkSurveyAnswer(state, request.params.survey);
    case 'reopen':
      requireStatus(state, ['resolved', 'callback_done'], 'reopen');
      if (state.round >= 3) illegal('round 3 was the last: senior management gives the final answer and closes it');
      return;
    case 'close': {
      if (request.params.unreachable) return checkUnreachable(state, context.input);
      if (state.status === 'resolved' && explainedOnly(state.resolution)) return;
      requireStatus(state, ['callback_done'], 'close');
      if (lastCallback(state)?.satisfaction !== 'dissatisfied') return;
      if (state.round < 3) illegal(`the complainant is dissatisfied: reopen it (round ${state.round + 1}) instead`);
      if (!request.params.finalAnswer) illegal('closing after round 3 needs the final answer (finalAnswer)');
      return requireLevel(request, 'property_head', 'give the final answer');
    }
  }
}

function transition(
  state: LifecycleState,
  request: ActionRequest,
  to: Status,
  details: Record<string, unknown>,
  reason = '',
): LifecycleEvent {
  const from = state.status;
  state.status = to;
  return {
    kind: 'transitioned',
    action: request.action,
    from,
    to,
    // The complainant answering a survey is nobody of the staff.
    actor: request.action === 'answer_survey' ? null : staffRef(request.actor),
    reason,
    details,
  };
}

/** The next attempt after a failed one: the policy's spacing later, but never after callbackBy. */
function nextAttemptAt(state: LifecycleState, context: ActionContext): string {
  const after = callbackRetry(policyOf(state, context.input)).after;
  const calendar = context.input.calendar;
  const planned = addTime(context.now, durationMs(after.duration, after.basis, calendar), after.basis, calendar);
  const due = clockOf(state, 'callbackBy')?.dueAt;
  return due && Date.parse(due) < planned.getTime() ? due : planned.toISOString();
}

/** Applies an action already checked by checkAction; mutates the state and returns its events. */
export function applyAction(state: LifecycleState, request: ActionRequest, context: ActionContext): LifecycleEvent[] {
  const { now, input } = context;
  const policy = policyOf(state, input);
  const calendar = input.calendar;
  const by = staffRef(request.actor);
  // Supervision is between staff: the complainant heard nothing new (no progress).
  if (isSupervisionRequest(request)) return applySupervision(state, request, now, by);
  state.lastProgressAt = now.toISOString();
  switch (request.action) {
    case 'acknowledge': {
      const clock = clockOf(state, 'firstReplyBy');
      if (clock) meetClock(clock, now);
      return [transition(state, request, 'acknowledged', { reply: request.params.reply })];
    }
    case 'start_investigation':
      return [transition(state, request, 'investigating', { note: request.params.note ?? null })];
    case 'propose_plan':
      state.plan = { text: request.params.plan, proposedBy: by, approvedBy: null };
      return [transition(state, request, 'plan_proposed', { plan: request.params.plan, approver: policy.approver })];
    case 'approve_plan':
      if (state.plan) state.plan.approvedBy = by;
      return [transition(state, request, 'plan_approved', { note: request.params.note ?? null })];
    case 'reject_plan':
      return [transition(state, request, 'investigating', {}, request.params.reason)];
    case 'request_extension': {
      const clock = clockOf(state, request.params.deadline);
      const number = state.extensions.length + 1;
      state.extensions.push({
        number,
        deadline: request.params.deadline,
        until: new Date(request.params.until).toISOString(),
        addsMs: clock ? extensionMs(clock, new Date(request.params.until), calendar) : 0,
        reason: request.params.reason,
        requestedBy: by,
        status: 'pending',
        decidedBy: null,
      });
      return [
        transition(
          state,
          request,
          state.status,
          {
            extension: number,
            deadline: request.params.deadline,
            until: request.params.until,
            approver: policy.approver,
          },
          request.params.reason,
        ),
      ];
    }
    case 'approve_extension':
    case 'reject_extension': {
      const extension = pendingExtension(state, request.params.number);
      extension.decidedBy = by;
      const approved = request.action === 'approve_extension';
      extension.status = approved ? 'approved' : 'rejected';
      const clock = clockOf(state, extension.deadline);
      if (approved && clock && !clock.metAt) extendClock(clock, extension.addsMs, policy.reminderAt, calendar);
      const reason = request.action === 'reject_extension' ? request.params.reason : '';
      return [
        transition(
          state,
          request,
          state.status,
          { extension: extension.number, deadline: extension.deadline, dueAt: clock?.dueAt ?? null },
          reason,
        ),
      ];
    }
    case 'give_progress': {
      // The progress-update timer counts from here (workflow.ts progressUpdateAt).
      state.lastProgressAt = now.toISOString();
      return [transition(state, request, state.status, { message: request.params.message })];
    }
    case 'await_complainant': {
      state.pausedFrom = state.status;
      for (const clock of state.clocks) pauseClock(clock, now, calendar);
      return [transition(state, request, 'awaiting_complainant', {}, request.params.reason)];
    }
    case 'await_outside_body': {
      state.pausedFrom = state.status;
      state.waitingOn = { body: request.params.body, since: now.toISOString() };
      for (const clock of state.clocks) pauseClock(clock, now, calendar);
      return [
        transition(state, request, 'awaiting_outside_body', { body: request.params.body }, request.params.reason),
      ];
    }
    case 'await_work_order': {
      state.pausedFrom = state.status;
      state.waitingOn = {
        body: request.params.number,
        since: now.toISOString(),
        workOrderId: request.params.workOrderId,
      };
      for (const clock of state.clocks) pauseClock(clock, now, calendar);
      return [
        transition(state, request, 'awaiting_work_order', {
          workOrderId: request.params.workOrderId,
          number: request.params.number,
        }),
      ];
    }
    case 'resume': {
      for (const clock of state.clocks) resumeClock(clock, now, policy.reminderAt, calendar);
      const back = state.pausedFrom ?? 'investigating';
      state.pausedFrom = null;
      state.waitingOn = null;
      return [transition(state, request, back, { note: request.params.note ?? null })];
    }
    case 'resolve': {
      const clock = clockOf(state, 'resolveBy');
      if (clock) meetClock(clock, now);
      const { remedy, correctiveAction, ...rest } = request.params;
      const resolution: Resolution = { ...rest, by: request.actor, at: now.toISOString() };
      // Amounts are kept with two decimals ("300" → "300.00"), as the group's money is written.
      const amount = remedy?.amount === undefined ? {} : { amount: fromCents(toCents(remedy.amount)) };
      if (remedy) resolution.remedy = { ...remedy, ...amount, approvedBy: request.actor };
      if (correctiveAction) {
        const { ownerId, ...action } = correctiveAction;
        resolution.correctiveAction = { ...action, owner: request.owner ?? { id: ownerId, name: ownerId } };
      }
      state.resolution = resolution;
      if (!(context.nonLiableExplained === false ? resolution.validity === 'invalid' : explainedOnly(resolution))) {
        state.clocks = state.clocks.filter((candidate) => candidate.name !== 'callbackBy');
        state.clocks.push(startClock('callbackBy', policy.callback, now, policy.reminderAt, calendar));
        state.callbackPlan = newCallbackPlan(state, input);
      }
      const { by: resolvedBy, at: resolvedAt, ...facts } = resolution;
      return [transition(state, request, 'resolved', facts)];
    }
    case 'record_callback': {
      const params = request.params;
      const completed = params.outcome === 'completed';
      state.callbacks.push({
        at: now.toISOString(),
        by,
        outcome: params.outcome,
        method: params.method,
        personReached: completed ? params.personReached : null,
        satisfaction: completed ? params.satisfaction : null,
        comments: completed ? (params.comments ?? null) : params.reason,
        signature: completed ? (params.signature ?? null) : null,
      });
      // Events carry no personal data: who was reached stays in the workflow's record.
      const facts = { outcome: params.outcome, method: params.method };
      const plan = (state.callbackPlan ??= newCallbackPlan(state, input));
      if (!completed) {
        plan.attemptsMade = attemptsSinceResolution(state).length;
        plan.caller = by;
        plan.reminded = false;
        plan.nextAttemptAt = plan.attemptsMade < plan.attemptsAllowed ? nextAttemptAt(state, context) : null;
        const planned = { attempt: plan.attemptsMade, of: plan.attemptsAllowed, nextAttemptAt: plan.nextAttemptAt };
        return [transition(state, request, 'resolved', { ...facts, ...planned }, params.reason)];
      }
      plan.nextAttemptAt = null;
      const clock = clockOf(state, 'callbackBy');
      if (clock) meetClock(clock, now);
      return [transition(state, request, 'callback_done', { ...facts, satisfaction: params.satisfaction })];
    }
    case 'send_survey': {
      const number = (state.survey?.number ?? 0) + 1;
      state.survey = { number, sentAt: now.toISOString(), sentBy: by, answeredAt: null };
      return [transition(state, request, 'resolved', { survey: number, note: request.params.note ?? null })];
    }
    case 'answer_survey': {
      const params = request.params;
      const survey = state.survey;
      if (!survey) return illegal('no survey is open for this complaint');
      survey.answeredAt = now.toISOString();
      // Recorded as a callback by message, done by whoever sent the survey, signed by the complainant.
      state.callbacks.push({
        at: now.toISOString(),
        by: survey.sentBy,
        outcome: 'completed',
        method: 'message',
        personReached: null,
        satisfaction: params.satisfaction,
        comments: params.comments ?? null,
        signature: `the complainant, through the link of survey ${survey.number}`,
      });
      if (state.callbackPlan) state.callbackPlan.nextAttemptAt = null;
      const clock = clockOf(state, 'callbackBy');
      if (clock) meetClock(clock, now);
      return [
        transition(state, request, 'callback_done', {
          outcome: 'completed',
          method: 'message',
          satisfaction: params.satisfaction,
          survey: survey.number,
        }),
      ];
    }
    case 'reopen': {
      state.round += 1;
      const lastHandler = state.resolution?.by.level ?? state.level;
      const target = state.round === 2 ? oneUp(lastHandler) : higher(oneUp(lastHandler), 'property_head');
      const from = state.level;
      state.level = higher(state.level, target);
      state.resolution = null;
      state.plan = null;
      state.callbackPlan = null;
      state.clocks = state.clocks.filter((clock) => clock.name === 'firstReplyBy');
      state.clocks.push(startClock('resolveBy', policy.resolution, now, policy.reminderAt, calendar));
      const events: LifecycleEvent[] = [
        transition(state, request, 'investigating', { round: state.round }, request.params.reason),
      ];
      if (state.level !== from) {
        events.push({
          kind: 'escalated',
          from,
          to: state.level,
          cause: `reopen:round_${state.round}`,
          notify: [state.level],
        });
      }
      return events;
    }
    case 'close': {
      const details: Record<string, unknown> = {
        note: request.params.note ?? null,
        finalAnswer: request.params.finalAnswer ?? null,
      };
      if (request.params.unreachable) {
        // The evidence that the complainant could not be reached: every failed attempt.
        details.unreachable = true;
        details.attempts = attemptsSinceResolution(state).map((attempt) => ({
          at: attempt.at,
          method: attempt.method,
          reason: attempt.comments,
          by: attempt.by,
        }));
      }
      return [transition(state, request, 'closed', details)];
    }
    default:
      return illegal(`unknown action ${(request as { action: string }).action}`);
  }
}

/** Who did it, as events and the record name them: the staff member and the key they acted through. */
function staffRef(actor: StaffRef): StaffRef {
  return actor.via ? { id: actor.id, name: actor.name, via: actor.via } : { id: actor.id, name: actor.name };
}

/**
 * Invalid (不予受理) and non-liable (无责任: untrue or outside our scope) complaints are
 * explained to the complainant and closed (SPEC §3–§4): no callback follows.
 */
export function explainedOnly(resolution: Resolution | null | undefined): boolean {
  return resolution?.validity === 'invalid' || resolution?.liability === 'non_liable';
}

function outcomeOf(resolution: Resolution | null): string {
  return resolution?.validity === 'invalid' ? 'an invalid' : 'a non-liable';
}
