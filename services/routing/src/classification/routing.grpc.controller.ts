import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { DecisionsRepository } from './decisions.repository';
import type { Decision } from './decision.schema';
import { RoutingSettingsRepository } from './routing-settings';
import { MergeByHand } from '../collective/merge-by-hand';
import { OverrideDecision } from './use-cases/override-decision';
import { actorOf, NotFoundError, parseJsonField } from '@complaints/service-kit';

function toProto(decision: Decision): v1.Decision {
  return v1.Decision.fromPartial({
    category: decision.category,
    severity: decision.severity,
    department: decision.department,
    departmentId: decision.departmentId,
    handler: decision.handler ? { kind: 'staff', ...decision.handler } : undefined,
    propertyHead: decision.propertyHead ? { kind: 'staff', ...decision.propertyHead } : undefined,
    liability: decision.liability,
    reasons: decision.reasons,
    mergedInto: decision.mergedInto,
    mergedIntoNumber: decision.mergedIntoNumber,
  });
}

@Controller()
@v1.RoutingServiceControllerMethods()
export class RoutingGrpcController implements v1.RoutingServiceController {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly override: OverrideDecision,
    private readonly settings: RoutingSettingsRepository,
    private readonly mergeByHand: MergeByHand,
  ) {}

  async getDecision(request: v1.GetDecisionRequest): Promise<v1.GetDecisionResponse> {
    const decision = await this.decisions.find(request.groupId, request.complaintId);
    if (!decision) throw new NotFoundError(`routing decision for complaint ${request.complaintId}`);
    return { found: true, decision: toProto(decision) };
  }

  async reclassify(request: v1.ReclassifyRequest): Promise<v1.ReclassifyResponse> {
    const optional = (value: string) => value || undefined;
    const decision = await this.override.reclassify(request.groupId, request.complaintId, actorOf(request.actor), {
      reason: request.reason,
      category: optional(request.category),
      severity: optional(request.severity),
      department: optional(request.department),
      liability: optional(request.liability),
    });
    return { decision: toProto(decision) };
  }

  async reassign(request: v1.ReassignRequest): Promise<v1.ReassignResponse> {
    const decision = await this.override.reassign(
      request.groupId,
      request.complaintId,
      actorOf(request.actor),
      request.handlerId,
      request.reason,
    );
    return { decision: toProto(decision) };
  }

  async merge(request: v1.MergeRequest): Promise<v1.MergeResponse> {
    const decision = await this.mergeByHand.merge(
      request.groupId,
      request.complaintId,
      request.intoComplaintId,
      actorOf(request.actor),
      request.reason,
    );
    return { decision: toProto(decision) };
  }

  async unmerge(request: v1.UnmergeRequest): Promise<v1.UnmergeResponse> {
    const decision = await this.mergeByHand.unmerge(
      request.groupId,
      request.complaintId,
      actorOf(request.actor),
      request.reason,
    );
    return { decision: toProto(decision) };
  }

  async getRules(request: v1.GetRulesRequest): Promise<v1.GetRulesResponse> {
    const { rules, departments, isDefault } = await this.settings.forGroup(request.groupId);
    return { rulesJson: JSON.stringify({ rules, departments }), isDefault };
  }

  async putRules(request: v1.PutRulesRequest): Promise<v1.PutRulesResponse> {
    const body = parseJsonField(request.rulesJson, 'rules');
    const { rules, departments } = await this.settings.put(request.groupId, body, actorOf(request.actor).name);
    return { rulesJson: JSON.stringify({ rules, departments }) };
  }
}
