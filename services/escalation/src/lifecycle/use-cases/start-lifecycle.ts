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
   * a second start for the same complaint is a no-op. Both are read through this process's
   * short cache (see PoliciesRepository): in the steady state a start costs no store round trip,
   * only the one call to Temporal.
   */
  async execute(start: LifecycleStart): Promise<'started' | 'already-started'> {
    const cached = { cached: true };
    const [policy, { calendar }] = await Promise.all([
      this.policies.effective(start.groupId, start.regionId, start.propertyId, cached),
      this.policies.calendar(start.groupId, start.regionId, cached),
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
