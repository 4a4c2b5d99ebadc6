import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { LifecycleRecords } from '../lifecycle-records';
import { stateQuery } from '../messages';
import { lifecycleWorkflowId, type LifecycleState } from '../types';

@Injectable()
export class GetLifecycle {
  constructor(
    private readonly client: Client,
    private readonly records: LifecycleRecords,
  ) {}

  /**
   * The lifecycle as recorded after its last step (a key read, kept after Temporal forgets the
   * workflow), or undefined when no lifecycle runs for this complaint in this group. Until its
   * first step is recorded (or for a lifecycle started before records were kept) the workflow is asked.
   */
  async execute(groupId: string, complaintId: string): Promise<LifecycleState | undefined> {
    const recorded = await this.records.read(groupId, complaintId);
    if (recorded) return recorded;
    try {
      const state = await this.client.workflow.getHandle(lifecycleWorkflowId(complaintId)).query(stateQuery);
      return state.groupId === groupId ? state : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }
}
