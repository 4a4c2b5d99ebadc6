import { Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { EscalationConfig } from '../../config';
import { lifecycleWorkflowId, type LifecycleInput } from '../types';
import { complaintLifecycleWorkflow } from '../workflow';

@Injectable()
export class StartLifecycle {
  constructor(
    private readonly client: Client,
    private readonly config: EscalationConfig,
  ) {}

  /** Starts the complaint's workflow; a second start for the same complaint is a no-op. */
  async execute(input: LifecycleInput): Promise<'started' | 'already-started'> {
    try {
      await this.client.workflow.start(complaintLifecycleWorkflow, {
        taskQueue: this.config.taskQueue,
        workflowId: lifecycleWorkflowId(input.complaintId),
        // Not even a finished lifecycle may be started again by a late redelivery.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
      return 'started';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
      throw error;
    }
  }
}
