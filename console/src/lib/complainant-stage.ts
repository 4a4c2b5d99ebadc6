import type { Status } from '@complaints/domain';

/**
 * What a complainant is told of their complaint's state: the steps they can tell apart, not the
 * desk's (a plan waiting for approval is still "being handled" to them).
 */
export const COMPLAINANT_STAGES = ['received', 'handling', 'resolved', 'closed', 'withdrawn', 'merged'] as const;
export type ComplainantStage = (typeof COMPLAINANT_STAGES)[number];

// Every state named: a new one fails to compile here until it is placed.
const STAGE_OF: Record<Status, ComplainantStage> = {
  registered: 'received',
  assigned: 'received',
  acknowledged: 'handling',
  investigating: 'handling',
  plan_proposed: 'handling',
  plan_approved: 'handling',
  awaiting_complainant: 'handling',
  awaiting_outside_body: 'handling',
  awaiting_work_order: 'handling',
  resolved: 'resolved',
  callback_done: 'resolved',
  closed: 'closed',
  withdrawn: 'withdrawn',
  merged: 'merged',
};

/** A state this console does not know yet reads as being handled: never as done. */
export function complainantStage(status: string): ComplainantStage {
  return (STAGE_OF as Record<string, ComplainantStage | undefined>)[status] ?? 'handling';
}
