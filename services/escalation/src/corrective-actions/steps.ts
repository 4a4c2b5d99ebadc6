import type { RoleLevel } from '@complaints/domain';
import { atLeast } from '../lifecycle/ladder';

// A corrective and preventive action (纠正与预防措施) from opening to verification: the owner
// reports it done; someone else, a supervisor or above, verifies it or sends it back. Pure:
// the use case passes the time and the acting staff member in.

export const CORRECTIVE_STATUSES = ['open', 'done', 'verified'] as const;
export type CorrectiveStatus = (typeof CORRECTIVE_STATUSES)[number];
export const CORRECTIVE_STEPS = ['done', 'verify', 'return'] as const;
export type CorrectiveStep = (typeof CORRECTIVE_STEPS)[number];

/**
 * Where it came from: a resolution of a responsible complaint, a problem routing saw recur, or the
 * follow-up of a spot check that found the handling nonconforming.
 */
export const CORRECTIVE_SOURCES = ['resolution', 'recurring', 'spot_check'] as const;
export type CorrectiveSource = (typeof CORRECTIVE_SOURCES)[number];

export interface StaffRef {
  id: string;
  name: string;
}

export interface HistoryEntry {
  step: 'opened' | 'overdue' | 'done' | 'verified' | 'returned';
  at: string;
  by: StaffRef | null;
  text: string;
}

export interface CorrectiveAction {
  id: string;
  groupId: string;
  propertyId: string;
  regionId: string;
  complaintId: string;
  source: CorrectiveSource;
  /** The complaint's category, for a recurring problem; '' otherwise. */
  category: string;
  description: string;
  owner: StaffRef;
  dueAt: string;
  status: CorrectiveStatus;
  overdueAt: string | null;
  createdAt: string;
  history: HistoryEntry[];
  /** Counts changes: a step is saved only over the version it was decided on. */
  version: number;
  /** How many history entries are published as events (corrective-action-events.ts). */
  published: number;
}

/** Why a step is refused: it does not fit the status, or the staff member may not take it. */
export class StepRefused extends Error {
  constructor(
    readonly kind: 'illegal_step' | 'not_allowed',
    message: string,
  ) {
    super(message);
    this.name = 'StepRefused';
  }
}

/** Who verifies or sends back: not the owner (no one checks their own work), a supervisor or above. */
export const VERIFIER_LEVEL: RoleLevel = 'supervisor';

/** Takes the step, or throws StepRefused; returns the action as it is afterwards. */
export function takeStep(
  action: CorrectiveAction,
  step: CorrectiveStep,
  actor: StaffRef & { level: RoleLevel },
  text: string,
  now: Date,
): CorrectiveAction {
  const by = { id: actor.id, name: actor.name };
  const after = (status: CorrectiveStatus, entry: HistoryEntry['step']): CorrectiveAction => ({
    ...action,
    status,
    history: [...action.history, { step: entry, at: now.toISOString(), by, text }],
    version: action.version + 1,
  });
  // Who may take the step is checked before whether it fits now: a refusal does not depend on timing.
  if (step === 'done') {
    if (actor.id !== action.owner.id) {
      throw new StepRefused('not_allowed', `only its owner (${action.owner.name}) reports it done`);
    }
    if (action.status !== 'open') {
      throw new StepRefused('illegal_step', `it is ${action.status}: only an open action is done`);
    }
    if (!text) throw new StepRefused('illegal_step', 'say what was done');
    return after('done', 'done');
  }
  if (actor.id === action.owner.id) throw new StepRefused('not_allowed', 'the owner does not verify their own action');
  if (!atLeast(actor.level, VERIFIER_LEVEL)) {
    throw new StepRefused(
      'not_allowed',
      `${actor.name} (${actor.level}) may not ${step} it: it needs ${VERIFIER_LEVEL} or above`,
    );
  }
  if (action.status !== 'done') {
    throw new StepRefused('illegal_step', `it is ${action.status}: only a done action is verified or sent back`);
  }
  if (step === 'return') {
    if (!text) throw new StepRefused('illegal_step', 'say why it goes back');
    return after('open', 'returned');
  }
  return after('verified', 'verified');
}
