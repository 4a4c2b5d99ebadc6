import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { deliveryWorkflow } from './delivery.workflow';

/** Where delivery and digest workflows run. */
export const NOTIFICATION_TASK_QUEUE = Symbol('NOTIFICATION_TASK_QUEUE');

/**
 * Starts a delivery's workflow: one per delivery (and per replay), so a second start is a no-op.
 * Only deliveries that need Temporal get one: a retry after a failed first send, a wait through
 * quiet hours, a replay; the first send of every delivery happens in process (DeliverNow).
 */
@Injectable()
export class DispatchDelivery {
  constructor(
    private readonly client: Client,
    @Inject(NOTIFICATION_TASK_QUEUE) private readonly taskQueue: string,
  ) {}

  /** `triedOnce`: the first attempt was made in process and failed; the workflow retries. */
  async start(deliveryId: string, replay = 0, triedOnce = false): Promise<void> {
    try {
      await this.client.workflow.start(deliveryWorkflow, {
        taskQueue: this.taskQueue,
        workflowId: replay === 0 ? `delivery-${deliveryId}` : `delivery-${deliveryId}-replay-${replay}`,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [triedOnce ? { deliveryId, triedOnce } : { deliveryId }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
