import type { RoleLevel } from '@complaints/domain';
import { ActionRefused } from './actions';
import { atLeast } from './ladder';
import type { ActionRequest, LifecycleEvent, LifecycleState, StaffRef, Supervision } from './types';

// Supervision from above (督办): a property head, regional GM or headquarters asks the handler for
// something by a due time, whatever the complaint's status, until it is closed. It never changes
// the status or the complaint's own deadlines; its due time is followed by the workflow (a missed
// one is recorded as overdue once). Pure, like actions.ts: the workflow passes the time in.

export const SUPERVISION_ACTIONS = ['supervise', 'answer_supervision', 'accept_supervision', 'return_supervision'];
/** Who may supervise: the property head and above (SPEC §1 ladder). */
const SUPERVISOR_FLOOR: RoleLevel = 'property_head';

type SupervisionRequest = Extract<
  ActionRequest,
  { action: 'supervise' | 'answer_supervision' | 'accept_supervision' | 'return_supervision' }
>;

export function isSupervisionRequest(request: ActionRequest): request is SupervisionRequest {
  return SUPERVISION_ACTIONS.includes(request.action);
}

/** The supervision not yet accepted, if any: only one runs at a time. */
export function currentSupervision(state: LifecycleState): Supervision | undefined {
  const last = state.supervisions?.at(-1);
  return last && last.status !== 'accepted' ? last : undefined;
}

function illegal(message: string): never {
  throw new ActionRefused('illegal_transition', message);
}

function tooLow(message: string): never {
  throw new ActionRefused('role_too_low', message);
}

function running(state: LifecycleState): Supervision {
  const current = currentSupervision(state);
  if (!current) illegal('the complaint is not under supervision');
  return current;
}

export function checkSupervision(state: LifecycleState, request: SupervisionRequest, now: Date): void {
  const actor = request.actor;
  switch (request.action) {
    case 'supervise': {
      if (!atLeast(actor.level, SUPERVISOR_FLOOR)) {
        tooLow(`${actor.name} (${actor.level}) may not supervise: it needs ${SUPERVISOR_FLOOR} or above`);
      }
      if (state.handler?.id === actor.id) tooLow(`${actor.name} handles this complaint and may not supervise it`);
      const current = currentSupervision(state);
      if (current) illegal(`supervision ${current.number} is still running: accept it before supervising again`);
      if (Date.parse(request.params.dueAt) <= now.getTime()) illegal('dueAt must be in the future');
      return;
    }
    case 'answer_supervision': {
      const current = running(state);
      if (current.status === 'answered') {
        illegal(`supervision ${current.number} was answered and waits for the supervisor to accept or return it`);
      }
      return;
    }
    case 'accept_supervision':
    case 'return_supervision': {
      const current = running(state);
      if (current.status !== 'answered') illegal(`supervision ${current.number} has no answer to decide on yet`);
      if (actor.id !== current.by.id && !atLeast(actor.level, current.level)) {
        tooLow(`${actor.name} (${actor.level}) may not decide on supervision by ${current.level}`);
      }
      return;
    }
  }
}

function event(
  state: LifecycleState,
  action: string,
  actor: StaffRef | null,
  details: Record<string, unknown>,
  reason = '',
): LifecycleEvent {
  return { kind: 'transitioned', action, from: state.status, to: state.status, actor, reason, details };
}

/** Applies a supervision action already checked; the status stays as it is. */
export function applySupervision(
  state: LifecycleState,
  request: SupervisionRequest,
  now: Date,
  by: StaffRef,
): LifecycleEvent[] {
  const at = now.toISOString();
  if (request.action === 'supervise') {
    const supervisions = (state.supervisions ??= []);
    const supervision: Supervision = {
      number: supervisions.length + 1,
      by,
      level: request.actor.level,
      instructions: request.params.instructions,
      dueAt: new Date(request.params.dueAt).toISOString(),
      at,
      status: 'open',
      overdueAt: null,
      rounds: [],
      acceptedAt: null,
      acceptedBy: null,
    };
    supervisions.push(supervision);
    const { number, instructions, dueAt, level } = supervision;
    return [event(state, 'supervise', by, { supervision: number, instructions, dueAt, level })];
  }
  const current = running(state);
  const number = current.number;
  switch (request.action) {
    case 'answer_supervision':
      current.status = 'answered';
      current.rounds.push({ kind: 'answer', at, by, text: request.params.answer });
      return [event(state, 'answer_supervision', by, { supervision: number, answer: request.params.answer })];
    case 'return_supervision':
      current.status = 'returned';
      current.rounds.push({ kind: 'return', at, by, text: request.params.reason });
      return [event(state, 'return_supervision', by, { supervision: number }, request.params.reason)];
    case 'accept_supervision':
      current.status = 'accepted';
      current.acceptedAt = at;
      current.acceptedBy = by;
      return [event(state, 'accept_supervision', by, { supervision: number, note: request.params.note ?? null })];
  }
}

/** When the running supervision becomes overdue, if it waits on the handler and is not overdue yet. */
export function supervisionDueAt(state: LifecycleState): number | undefined {
  const current = currentSupervision(state);
  if (!current || current.status === 'answered' || current.overdueAt) return undefined;
  return Date.parse(current.dueAt);
}

/** Marks the running supervision overdue once its due time passed without an answer. */
export function supervisionOverdue(state: LifecycleState, now: Date): LifecycleEvent[] {
  const dueAt = supervisionDueAt(state);
  const current = currentSupervision(state);
  if (dueAt === undefined || !current || now.getTime() < dueAt) return [];
  current.overdueAt = now.toISOString();
  return [
    event(state, 'supervision_overdue', null, {
      supervision: current.number,
      dueAt: current.dueAt,
      supervisor: current.by.name,
      // Notification tells the supervisor (and the handler) by id.
      supervisorId: current.by.id,
    }),
  ];
}
