import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { createEvent, EventBus } from '@complaints/messaging';
import { DecisionsRepository } from '../decisions.repository';
import { initialClassification } from '../initial-classification';

@Injectable()
export class RouteComplaint {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly bus: EventBus,
  ) {}

  /** Idempotent: a redelivered `registered` republishes the same `routed` event id, which JetStream drops. */
  async execute(groupId: string, complaint: v1.Complaint): Promise<void> {
    const classification = initialClassification(complaint);
    const decision = await this.decisions.saveFirst({
      _id: complaint.id,
      groupId,
      number: complaint.number,
      propertyId: complaint.propertyId,
      ...classification,
    });
    await this.bus.publish(
      createEvent(
        'routed',
        { groupId, complaintId: complaint.id, idempotencyKey: `routed:${complaint.id}` },
        {
          number: decision.number,
          propertyId: decision.propertyId,
          category: decision.category,
          severity: decision.severity,
          department: decision.department,
          reasons: decision.reasons,
          receivedAt: complaint.receivedAt,
          resolvedAtFirstContact: complaint.resolvedAtFirstContact,
        },
      ),
    );
  }
}
