import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { stateQuery } from '../messages';
import { lifecycleWorkflowId, type LifecycleState } from '../types';

@Injectable()
export class GetLifecycle {
  constructor(private readonly client: Client) {}

  /** The workflow's state, or undefined when no lifecycle runs for this complaint in this group. */
  async execute(groupId: string, complaintId: string): Promise<LifecycleState | undefined> {
    try {
      const state = await this.client.workflow.getHandle(lifecycleWorkflowId(complaintId)).query(stateQuery);
      return state.groupId === groupId ? state : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }
}
