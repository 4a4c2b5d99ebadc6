import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus, payloadOf } from '@complaints/messaging';
import { DecisionsRepository } from './decisions.repository';
import { RouteComplaint } from './use-cases/route-complaint';

/**
 * Routes every registered complaint, and stops counting withdrawn ones against their
 * handler (durable consumer `routing`, shared by all replicas: each event is handled once).
 */
@Injectable()
export class RoutingEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingEventsConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly routeComplaint: RouteComplaint,
    private readonly decisions: DecisionsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'routing', types: ['registered', 'withdrawn'] }, async (event) => {
      if (payloadOf(event, 'withdrawn')) {
        await this.decisions.close(event.groupId, event.complaintId);
        return;
      }
      const complaint = payloadOf(event, 'registered')?.complaint;
      if (!complaint) {
        this.logger.warn(`registered event ${event.eventId} carries no complaint; skipped`);
        return;
      }
      const decision = await this.routeComplaint.execute(event.groupId, complaint);
      // One line per handled event: with replicas, the logs show which one routed what.
      this.logger.log(`routed ${decision.number} (event ${event.eventId}): ${decision.category}/${decision.severity}`);
    });
  }
}
