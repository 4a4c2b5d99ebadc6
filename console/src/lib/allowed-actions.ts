import type { Lifecycle, RoleLevel, Severity, Status } from '../api/types';
import { ROLE_LEVELS } from '../api/types';

// Which lifecycle actions the signed-in person may take now, and why not: a mirror of the rules of
// services/escalation/src/lifecycle/actions.ts so buttons can say why they are disabled before a
// click. The API stays the judge: whatever it answers (409 with the reason, 403) is shown too.

export const ACTIONS = [
  'acknowledge',
  'start_investigation',
  'propose_plan',
  'approve_plan',
  'reject_plan',
  'request_extension',
  'await_complainant',
  'await_outside_body',
  'give_progress',
  'resume',
  'resolve',
  'record_callback',
  'send_survey',
  'reopen',
  'close',
  'close_unreachable',
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** SPEC §5 default approvers; a group's policy may name others, and then the API's answer decides. */
export const DEFAULT_APPROVER: Record<Severity, RoleLevel> = {
  general: 'manager',
  important: 'property_head',
  major: 'regional_gm',
};

const WORKING: Status[] = ['acknowledged', 'investigating', 'plan_proposed', 'plan_approved'];

export type Refusal =
  | { why: 'notStarted' }
  | { why: 'status'; status: Status; allowed: Status[] }
  | { why: 'level'; level: RoleLevel }
  | { why: 'planNeeded'; severity: Severity }
  | { why: 'noRunningDeadline' }
  | { why: 'pendingExtension' }
  | { why: 'lastRound' }
  | { why: 'dissatisfied' }
  | { why: 'invalidNeedsNoCallback' }
  | { why: 'attemptsLeft'; made: number; allowed: number };

export function atLeast(level: RoleLevel | null, floor: RoleLevel): boolean {
  // Unknown level (signed in without directory access): let the API decide.
  if (level === null) return true;
  return ROLE_LEVELS.indexOf(level) >= ROLE_LEVELS.indexOf(floor);
}

/** null when the action is possible now; otherwise why not. */
export function refusal(lifecycle: Lifecycle | null, action: ActionName, level: RoleLevel | null): Refusal | null {
  if (!lifecycle) return { why: 'notStarted' };
  const status = lifecycle.status;
  const need = (allowed: Status[]): Refusal | null =>
    allowed.includes(status) ? null : { why: 'status', status, allowed };
  const approver = DEFAULT_APPROVER[lifecycle.severity];
  const levelFloor = (floor: RoleLevel): Refusal | null =>
    atLeast(level, floor) ? null : { why: 'level', level: floor };
  const lastCallback = lifecycle.callbacks.filter((callback) => callback.outcome === 'completed').at(-1);
  switch (action) {
    case 'acknowledge':
      return need(['assigned']);
    case 'start_investigation':
      return need(['acknowledged']);
    case 'propose_plan':
      return need(['acknowledged', 'investigating']);
    case 'approve_plan':
    case 'reject_plan':
      return need(['plan_proposed']) ?? levelFloor(approver);
    case 'request_extension': {
      const running = (['firstReplyBy', 'resolveBy', 'callbackBy'] as const).filter(
        (name) => lifecycle.deadlines[name] && !lifecycle.deadlines[name].met && lifecycle.deadlines[name].dueAt,
      );
      if (running.length === 0) return { why: 'noRunningDeadline' };
      const pending = (name: string) =>
        lifecycle.extensions.some((extension) => extension.deadline === name && extension.status === 'pending');
      return running.every(pending) ? { why: 'pendingExtension' } : null;
    }
    case 'await_complainant':
    case 'await_outside_body':
    case 'give_progress':
      return need(WORKING);
    case 'resume':
      return need(['awaiting_complainant', 'awaiting_outside_body', 'awaiting_work_order']);
    case 'resolve':
      if (lifecycle.severity !== 'general' && WORKING.includes(status) && status !== 'plan_approved') {
        return { why: 'planNeeded', severity: lifecycle.severity };
      }
      return need(WORKING) ?? levelFloor(lifecycle.escalationLevel);
    case 'record_callback':
    case 'send_survey':
      return need(['resolved']) ?? levelFloor('supervisor');
    case 'reopen':
      return need(['resolved', 'callback_done']) ?? (lifecycle.reopenRound >= 3 ? { why: 'lastRound' } : null);
    case 'close': {
      if (status === 'resolved' && explainedOnly(lifecycle)) return null;
      const refused = need(['callback_done']);
      if (refused) return refused;
      if (lastCallback?.satisfaction === 'dissatisfied') {
        return lifecycle.reopenRound < 3 ? { why: 'dissatisfied' } : levelFloor('property_head');
      }
      return null;
    }
    case 'close_unreachable': {
      const refused = need(['resolved']);
      if (refused) return refused;
      if (explainedOnly(lifecycle)) return { why: 'invalidNeedsNoCallback' };
      // Before a valid resolution's plan exists (earlier lifecycles), SPEC §5's default of 3.
      const plan = lifecycle.callbackPlan ?? { attemptsMade: 0, attemptsAllowed: 3 };
      return plan.attemptsMade < plan.attemptsAllowed
        ? { why: 'attemptsLeft', made: plan.attemptsMade, allowed: plan.attemptsAllowed }
        : null;
    }
  }
}

/** Invalid (不予受理) and non-liable (无责任) complaints are explained and closed: no callback follows. */
function explainedOnly(lifecycle: Lifecycle): boolean {
  return lifecycle.resolution?.validity === 'invalid' || lifecycle.resolution?.liability === 'non_liable';
}
