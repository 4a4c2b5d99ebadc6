import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { DecisionsRepository } from './decisions.repository';

@Controller()
@v1.RoutingServiceControllerMethods()
export class RoutingGrpcController implements v1.RoutingServiceController {
  constructor(private readonly decisions: DecisionsRepository) {}

  async getDecision(request: v1.GetDecisionRequest): Promise<v1.GetDecisionResponse> {
    const decision = await this.decisions.find(request.groupId, request.complaintId);
    if (!decision) return { found: false, category: '', severity: '', department: '', reasons: [] };
    const { category, severity, department, reasons } = decision;
    return { found: true, category, severity, department, reasons };
  }
}
