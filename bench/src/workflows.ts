import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { AcceptedComplaint } from './load';

export interface WorkflowStarts {
  /** Temporal's start time of each complaint's lifecycle workflow minus the POST's send time. */
  delaysMs: number[];
  /** Complaints whose workflow did not exist when the wait ended. */
  notStarted: string[];
}

export interface WaitOptions {
  temporalAddress: string;
  namespace: string;
  /** How long to keep looking for workflows not started yet. */
  timeoutMs: number;
  /** Describe calls in flight at once: enough to be quick, few enough not to load Temporal. */
  concurrency: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** escalation's lifecycleWorkflowId (services/escalation/src/lifecycle/types.ts). */
const workflowIdOf = (complaintId: string): string => `complaint-${complaintId}`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Finds when each accepted complaint's lifecycle workflow started, polling those not started yet. */
export async function waitForWorkflowStarts(
  accepted: readonly AcceptedComplaint[],
  options: WaitOptions,
): Promise<WorkflowStarts> {
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    const deadline = Date.now() + options.timeoutMs;
    const delaysMs: number[] = [];
    let pending = accepted;
    for (;;) {
      const stillPending: AcceptedComplaint[] = [];
      await forEachLimited(pending, options.concurrency, async (complaint) => {
        try {
          const { startTime } = await client.workflow.getHandle(workflowIdOf(complaint.complaintId)).describe();
          delaysMs.push(startTime.getTime() - complaint.sentAt);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          stillPending.push(complaint);
        }
      });
      pending = stillPending;
      if (pending.length === 0 || Date.now() >= deadline || options.signal.aborted) break;
      options.log(`${pending.length} of ${accepted.length} lifecycle workflows not started yet…`);
      await sleep(2_000);
    }
    return { delaysMs, notStarted: pending.map((complaint) => complaint.complaintId) };
  } finally {
    await connection.close();
  }
}
