import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createCorrectiveActivities } from './activities';
import type { CorrectiveStatus } from './steps';

// One timer per corrective action (纠正与预防措施): past its due time and not done, it is overdue.
// The record in escalation's database is the action; this workflow only keeps the time.

const { markCorrectiveActionOverdue } = proxyActivities<ReturnType<typeof createCorrectiveActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const correctiveActionChanged = defineSignal<[{ status: CorrectiveStatus }]>('correctiveActionChanged');

export function correctiveActionWorkflowId(id: string): string {
  return `corrective-action-${id}`;
}

export interface CorrectiveTimerInput {
  groupId: string;
  id: string;
  dueAt: string;
}

/** Runs until the action is verified; sent back open after its due time, it is overdue at once. */
export async function correctiveActionWorkflow(input: CorrectiveTimerInput): Promise<void> {
  let status = 'open' as CorrectiveStatus;
  let overdue = false;
  setHandler(correctiveActionChanged, (change) => {
    status = change.status;
  });
  while (status !== 'verified') {
    if (status === 'open' && !overdue) {
      const wait = Date.parse(input.dueAt) - Date.now();
      const changed = wait > 0 && (await condition(() => status !== 'open', wait));
      if (!changed) {
        await markCorrectiveActionOverdue({ groupId: input.groupId, id: input.id });
        overdue = true;
      }
    } else {
      await condition(() => status === 'verified' || (status === 'open' && !overdue));
    }
  }
}
