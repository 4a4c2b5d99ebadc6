import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { DirectoryClient, DomainError, parseJsonField } from '@complaints/service-kit';
import { PoliciesRepository, type PolicyScope } from '../policies/policies.repository';
import type { LifecycleState } from './types';
import { Act } from './use-cases/act';
import { GetLifecycle } from './use-cases/get-lifecycle';

export function toLifecycleResponse(state: LifecycleState | undefined): v1.GetLifecycleResponse {
  if (!state) return v1.GetLifecycleResponse.fromPartial({ started: false });
  const staff = (ref: LifecycleState['handler']) => (ref ? { kind: 'staff', ...ref } : undefined);
  return v1.GetLifecycleResponse.fromPartial({
    started: true,
    status: state.status,
    severity: state.severity,
    level: state.level,
    handler: staff(state.handler),
    propertyHead: staff(state.propertyHead),
    round: state.round,
    deadlines: state.clocks.map((clock) => ({
      name: clock.name,
      dueAt: clock.dueAt ?? '',
      met: clock.metAt !== null,
      breached: clock.breaches > 0,
      breaches: clock.breaches,
      paused: clock.runningSince === null && clock.metAt === null,
    })),
    detailsJson: JSON.stringify({
      breaches: state.breaches,
      extensions: state.extensions,
      plan: state.plan,
      resolution: state.resolution,
      callbacks: state.callbacks,
      callbackPlan: state.callbackPlan ?? null,
      survey: state.survey ?? null,
      waitingOn: state.waitingOn ?? null,
      supervisions: state.supervisions ?? [],
    }),
  });
}

function scopeOf(scope: v1.PolicyScope | undefined): PolicyScope {
  if (!scope || scope.kind === 'group') return { kind: 'group' };
  if ((scope.kind === 'region' || scope.kind === 'property') && scope.id) return { kind: scope.kind, id: scope.id };
  throw new DomainError('invalid_argument', 'scope must be group, region (with id) or property (with id)', {
    scope: 'group, region or property',
  });
}

@Controller()
@v1.EscalationServiceControllerMethods()
export class EscalationGrpcController implements v1.EscalationServiceController {
  constructor(
    private readonly getLifecycleUseCase: GetLifecycle,
    private readonly actUseCase: Act,
    private readonly policies: PoliciesRepository,
    private readonly directory: DirectoryClient,
  ) {}

  async getLifecycle(request: v1.GetLifecycleRequest): Promise<v1.GetLifecycleResponse> {
    return toLifecycleResponse(await this.getLifecycleUseCase.execute(request.groupId, request.complaintId));
  }

  async act(request: v1.ActRequest): Promise<v1.ActResponse> {
    const params = parseJsonField(request.paramsJson || '{}', 'params');
    const state = await this.actUseCase.execute({ ...request, params });
    return { lifecycle: toLifecycleResponse(state) };
  }

  async getPolicy(request: v1.GetPolicyRequest): Promise<v1.GetPolicyResponse> {
    const scope = scopeOf(request.scope);
    return this.policyResponse(request.groupId, scope);
  }

  async putPolicy(request: v1.PutPolicyRequest): Promise<v1.PutPolicyResponse> {
    const scope = scopeOf(request.scope);
    const policy = parseJsonField(request.policyJson, 'policy');
    await this.policies.putOverride(request.groupId, scope, policy, request.actor?.id ?? '');
    return this.policyResponse(request.groupId, scope);
  }

  async getCalendar(request: v1.GetCalendarRequest): Promise<v1.GetCalendarResponse> {
    const { calendar, isDefault } = await this.policies.calendar(request.groupId, request.regionId);
    return { calendarJson: JSON.stringify(calendar), isDefault };
  }

  async putCalendar(request: v1.PutCalendarRequest): Promise<v1.PutCalendarResponse> {
    const calendar = parseJsonField(request.calendarJson, 'calendar');
    const stored = await this.policies.putCalendar(
      request.groupId,
      request.regionId,
      calendar,
      request.actor?.id ?? '',
    );
    return { calendarJson: JSON.stringify(stored) };
  }

  /** What the scope sets, and what applies there: a property's includes its region's settings. */
  private async policyResponse(groupId: string, scope: PolicyScope): Promise<v1.GetPolicyResponse> {
    const own = await this.policies.override(groupId, scope);
    let regionId = scope.kind === 'region' ? scope.id : '';
    const propertyId = scope.kind === 'property' ? scope.id : '';
    if (propertyId) {
      const { properties } = await this.directory.directory(groupId);
      const property = properties.find((candidate) => candidate.id === propertyId);
      if (!property) throw new DomainError('not_found', `property ${propertyId} not found`);
      regionId = property.regionId;
    }
    const effective = await this.policies.effective(groupId, regionId, propertyId);
    return { policyJson: own ? JSON.stringify(own) : '', effectiveJson: JSON.stringify(effective) };
  }
}
