import { Controller } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { v1 } from '@complaints/contracts';
import { urgency as urgencySchema } from '@complaints/domain';
import { DomainError } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { PoliciesRepository } from '../policies/policies.repository';
import { workOrderTimes } from './work-order-times';
import { workOrderDeadlinesWorkflow, workOrderWorkflowId } from './work-order.workflow';

@Controller()
@v1.WorkOrderDeadlineServiceControllerMethods()
export class WorkOrderDeadlinesGrpcController implements v1.WorkOrderDeadlineServiceController {
  constructor(
    private readonly client: Client,
    private readonly config: EscalationConfig,
    private readonly policies: PoliciesRepository,
  ) {}

  /**
   * The work order's times from now, by the limits its property's deadline policy sets for its
   * urgency, on its region's calendar, followed by a timer workflow started before the work order
   * is stored: a stored work order always has its timer. A work order's times are planned once
   * (the id is fresh for every raise) and kept: a later policy change moves no raised work order.
   */
  async planWorkOrder(request: v1.PlanWorkOrderRequest): Promise<v1.PlanWorkOrderResponse> {
    const urgency = urgencySchema.safeParse(request.urgency);
    if (!urgency.success) {
      throw new DomainError('invalid_argument', `unknown urgency ${request.urgency}`, {
        urgency: 'emergency, urgent or normal',
      });
    }
    if (!request.workOrderId) {
      throw new DomainError('invalid_argument', 'workOrderId is required', { workOrderId: 'is required' });
    }
    // Read like a lifecycle start's (cached, see PoliciesRepository): a work order raised just
    // after a change elsewhere is treated as raised a moment before it.
    const cached = { cached: true };
    const [policy, { calendar }] = await Promise.all([
      this.policies.effective(request.groupId, request.regionId, request.propertyId, cached),
      this.policies.calendar(request.groupId, request.regionId, cached),
    ]);
    const raisedAt = new Date();
    const { arriveBy, completeBy } = workOrderTimes(policy.workOrders[urgency.data], raisedAt, calendar);
    const input = {
      groupId: request.groupId,
      workOrderId: request.workOrderId,
      arriveBy: arriveBy.toISOString(),
      completeBy: completeBy.toISOString(),
    };
    const workflowId = workOrderWorkflowId(request.groupId, request.workOrderId);
    try {
      await this.client.workflow.start(workOrderDeadlinesWorkflow, {
        taskQueue: this.config.taskQueue,
        workflowId,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
      return { raisedAt: raisedAt.toISOString(), arriveBy: input.arriveBy, completeBy: input.completeBy };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      throw new DomainError('conflict', `work order ${request.workOrderId} has its times already`);
    }
  }
}
