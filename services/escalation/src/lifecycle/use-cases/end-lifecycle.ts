import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { mergeSignal, withdrawSignal } from '../messages';
import { lifecycleWorkflowId } from '../types';

@Injectable()
export class EndLifecycle {
  constructor(private readonly client: Client) {}

  /** Ends the complaint's lifecycle; a lifecycle that never started or already ended needs nothing. */
  async execute(
    complaintId: string,
    why: { withdrawn: string } | { mergedInto: string },
  ): Promise<'ended' | 'no-lifecycle'> {
    const handle = this.client.workflow.getHandle(lifecycleWorkflowId(complaintId));
    try {
      if ('withdrawn' in why) await handle.signal(withdrawSignal, { reason: why.withdrawn });
      else await handle.signal(mergeSignal, { intoComplaintId: why.mergedInto });
      return 'ended';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'no-lifecycle';
      throw error;
    }
  }
}
