import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NOTIFICATION_TASK_QUEUE } from '../deliveries/dispatch-delivery';
import { digestWorkflow } from './digest.workflow';

/**
 * Every group the service hears of gets its daily digest workflow, started once: the process
 * remembers the groups it ensured, so a registered event costs nothing after a group's first.
 * Concurrent events of one group share the one start.
 */
@Injectable()
export class EnsureDigest {
  private readonly started = new Map<string, Promise<void>>();

  constructor(
    private readonly client: Client,
    @Inject(NOTIFICATION_TASK_QUEUE) private readonly taskQueue: string,
  ) {}

  async forGroup(groupId: string): Promise<void> {
    let starting = this.started.get(groupId);
    if (!starting) {
      starting = this.start(groupId);
      this.started.set(groupId, starting);
      // A failed start is tried again by the next event of the group.
      starting.catch(() => this.started.delete(groupId));
    }
    return starting;
  }

  private async start(groupId: string): Promise<void> {
    try {
      await this.client.workflow.start(digestWorkflow, {
        taskQueue: this.taskQueue,
        workflowId: `digest-${groupId}`,
        args: [{ groupId }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
