import { Client, Connection } from '@temporalio/client';

/** escalation's lifecycleWorkflowId (services/escalation/src/lifecycle/types.ts). */
const WORKFLOW_PREFIX = 'complaint-';

export interface LifecycleStarts {
  /** Complaint id → when Temporal started its lifecycle (epoch ms). */
  startedAt: Map<string, number>;
}

/**
 * When each lifecycle on the platform's task queue started since `since`, read from Temporal's
 * visibility store in pages: one list call per page instead of a describe per complaint, so
 * looking does not load Temporal while it is being measured.
 */
export async function lifecycleStarts(options: {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  since: number;
}): Promise<LifecycleStarts> {
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    const since = new Date(options.since - 1_000).toISOString();
    const startedAt = new Map<string, number>();
    const query = `TaskQueue = '${options.taskQueue}' AND StartTime >= '${since}'`;
    for await (const execution of client.workflow.list({ query, pageSize: 1_000 })) {
      if (!execution.workflowId.startsWith(WORKFLOW_PREFIX)) continue;
      startedAt.set(execution.workflowId.slice(WORKFLOW_PREFIX.length), execution.startTime.getTime());
    }
    return { startedAt };
  } finally {
    await connection.close();
  }
}
