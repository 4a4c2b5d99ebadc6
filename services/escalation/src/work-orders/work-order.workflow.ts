import { proxyActivities, sleep } from '@temporalio/workflow';
import type { createWorkOrderActivities } from './work-order.activities';

export interface WorkOrderDeadlinesInput {
  groupId: string;
  workOrderId: string;
  /** RFC 3339 */
  arriveBy: string;
  completeBy: string;
}

export const workOrderWorkflowId = (groupId: string, workOrderId: string) => `work-order-${groupId}-${workOrderId}`;

const { markWorkOrderOverdue } = proxyActivities<ReturnType<typeof createWorkOrderActivities>>({
  startToCloseTimeout: '1 minute',
  // A missed repair time must be recorded however long intake is away: retry without limit.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Follows a work order's two times: at arrive-by, then at complete-by, intake marks it overdue
 * unless that stage was done in time (intake decides on the record; a stage done early makes the
 * call a no-op). Nothing signals this workflow: two timers and two calls, then it ends.
 */
export async function workOrderDeadlinesWorkflow(input: WorkOrderDeadlinesInput): Promise<void> {
  for (const [stage, due] of [
    ['arrival', input.arriveBy],
    ['completion', input.completeBy],
  ] as const) {
    const wait = Date.parse(due) - Date.now();
    if (wait > 0) await sleep(wait);
    await markWorkOrderOverdue({ groupId: input.groupId, workOrderId: input.workOrderId, stage });
  }
}
