import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { withdrawSignal } from '../messages';
import { lifecycleWorkflowId } from '../types';

@Injectable()
export class WithdrawLifecycle {
  constructor(private readonly client: Client) {}

  /** Ends the complaint's lifecycle; a lifecycle that never started or already ended needs nothing. */
  async execute(complaintId: string, reason: string): Promise<'withdrawn' | 'no-lifecycle'> {
    try {
      await this.client.workflow.getHandle(lifecycleWorkflowId(complaintId)).signal(withdrawSignal, { reason });
      return 'withdrawn';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'no-lifecycle';
      throw error;
    }
  }
}
