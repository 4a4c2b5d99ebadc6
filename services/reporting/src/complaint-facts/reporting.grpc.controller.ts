import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { ComplaintFactsRepository } from './complaint-facts.repository';

@Controller()
@v1.ReportingServiceControllerMethods()
export class ReportingGrpcController implements v1.ReportingServiceController {
  constructor(private readonly facts: ComplaintFactsRepository) {}

  async getComplaintFacts(request: v1.GetComplaintFactsRequest): Promise<v1.GetComplaintFactsResponse> {
    const facts = await this.facts.find(request.groupId, request.complaintId);
    if (!facts) return { found: false, facts: undefined };
    return {
      found: true,
      facts: {
        complaintId: facts._id,
        number: facts.number ?? '',
        propertyId: facts.propertyId ?? '',
        channel: facts.channel ?? '',
        category: facts.category ?? '',
        severity: facts.severity ?? '',
        department: facts.department ?? '',
        receivedAt: facts.receivedAt?.toISOString() ?? '',
        breaches: facts.breaches,
        eventsApplied: facts.appliedEventIds.length,
      },
    };
  }
}
