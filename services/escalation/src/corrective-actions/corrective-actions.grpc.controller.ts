import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { DomainError } from '@complaints/service-kit';
import { CorrectiveActions } from './corrective-actions.service';
import { CORRECTIVE_STATUSES, CORRECTIVE_STEPS, type CorrectiveAction, type CorrectiveStep } from './steps';

export function toCorrectiveActionMessage(action: CorrectiveAction): v1.CorrectiveAction {
  return v1.CorrectiveAction.fromPartial({
    id: action.id,
    groupId: action.groupId,
    propertyId: action.propertyId,
    regionId: action.regionId,
    complaintId: action.complaintId,
    source: action.source,
    category: action.category,
    description: action.description,
    owner: { kind: 'staff', id: action.owner.id, name: action.owner.name },
    dueAt: action.dueAt,
    status: action.status,
    overdueAt: action.overdueAt ?? '',
    createdAt: action.createdAt,
    historyJson: JSON.stringify(action.history),
  });
}

function isStep(step: string): step is CorrectiveStep {
  return (CORRECTIVE_STEPS as readonly string[]).includes(step);
}

@Controller()
@v1.CorrectiveActionServiceControllerMethods()
export class CorrectiveActionsGrpcController implements v1.CorrectiveActionServiceController {
  constructor(private readonly actions: CorrectiveActions) {}

  async listCorrectiveActions(request: v1.ListCorrectiveActionsRequest): Promise<v1.ListCorrectiveActionsResponse> {
    const status = request.status;
    if (status !== '' && status !== 'overdue' && !(CORRECTIVE_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('invalid_argument', `unknown status "${status}"`, {
        status: 'open, done, verified or overdue',
      });
    }
    const actions = await this.actions.list({
      groupId: request.groupId,
      propertyIds: request.propertyIds,
      regionId: request.regionId,
      status: status as 'open' | 'done' | 'verified' | 'overdue' | '',
      ownerId: request.ownerId,
      limit: request.limit,
    });
    return { actions: actions.map(toCorrectiveActionMessage) };
  }

  async getCorrectiveAction(request: v1.GetCorrectiveActionRequest): Promise<v1.GetCorrectiveActionResponse> {
    return { action: toCorrectiveActionMessage(await this.actions.get(request.groupId, request.id)) };
  }

  async stepCorrectiveAction(request: v1.StepCorrectiveActionRequest): Promise<v1.StepCorrectiveActionResponse> {
    if (!isStep(request.step)) {
      throw new DomainError('invalid_argument', `unknown step "${request.step}"`, { step: 'done, verify or return' });
    }
    const action = await this.actions.step({
      groupId: request.groupId,
      id: request.id,
      step: request.step,
      staffId: request.staffId,
      text: request.text,
    });
    return { action: toCorrectiveActionMessage(action) };
  }
}
