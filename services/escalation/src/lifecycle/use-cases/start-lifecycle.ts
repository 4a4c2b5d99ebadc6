import { Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { EscalationConfig } from '../../config';
import { PoliciesRepository } from '../../policies/policies.repository';
import { lifecycleWorkflowId, type LifecycleInput } from '../types';
import { complaintLifecycleWorkflow } from '../workflow';

export type LifecycleStart = Omit<LifecycleInput, 'policy' | 'calendar'>;

@Injectable()
export class StartLifecycle {
  constructor(
    private readonly client: Client,
    private readonly config: EscalationConfig,
    private readonly policies: PoliciesRepository,
  ) {}

  /**
   * Starts the complaint's workflow with the policy and calendar in force at its property now;
   * a second start for the same complaint is a no-op.
   */
  async execute(start: LifecycleStart): Promise<'started' | 'already-started'> {
    const [policy, { calendar }] = await Promise.all([
      this.policies.effective(start.groupId, start.regionId, start.propertyId),
      this.policies.calendar(start.groupId, start.regionId),
    ]);
    try {
      await this.client.workflow.start(complaintLifecycleWorkflow, {
        taskQueue: this.config.taskQueue,
        workflowId: lifecycleWorkflowId(start.complaintId),
        // Not even a finished lifecycle may be started again by a late redelivery.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ ...start, policy, calendar }],
      });
      return 'started';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
      throw error;
    }
  }
}
