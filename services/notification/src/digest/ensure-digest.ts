import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NOTIFICATION_TASK_QUEUE } from '../deliveries/dispatch-delivery';
import { digestWorkflow } from './digest.workflow';

/** Every group the service hears of gets its daily digest workflow, started once. */
@Injectable()
export class EnsureDigest {
  private readonly started = new Set<string>();

  constructor(
    private readonly client: Client,
    @Inject(NOTIFICATION_TASK_QUEUE) private readonly taskQueue: string,
  ) {}

  async forGroup(groupId: string): Promise<void> {
    if (this.started.has(groupId)) return;
    try {
      await this.client.workflow.start(digestWorkflow, {
        taskQueue: this.taskQueue,
        workflowId: `digest-${groupId}`,
        args: [{ groupId }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    this.started.add(groupId);
  }
}
