import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus, payloadOf } from '@complaints/messaging';
import { PersonalDataClient } from '@complaints/service-kit';
import { CloseAndErase } from './use-cases/close-and-erase';
import { OverrideDecision } from './use-cases/override-decision';
import { RouteComplaint } from './use-cases/route-complaint';

/**
 * Routes every registered complaint, and stops counting withdrawn and closed ones against their
 * handler or as open cases (durable consumer `routing`, shared by all replicas: each event is
 * handled once). A closed complaint stays in its complainant's history, so the same report within
 * the repeat window counts as a repeat instead of joining the closed case as a duplicate.
 * An erasure forgets the complainant's pseudonym on the decision and confirms it to intake.
 */
@Injectable()
export class RoutingEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingEventsConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly routeComplaint: RouteComplaint,
    private readonly closeAndErase: CloseAndErase,
    private readonly override: OverrideDecision,
    private readonly personalData: PersonalDataClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const types = ['registered', 'withdrawn', 'transitioned', 'personal_data_erased', 'corrected'] as const;
    await this.bus.consume({ name: 'routing', types: [...types] }, async (event, { redelivered }) => {
      const erased = payloadOf(event, 'personal_data_erased');
      if (erased) {
        const records = await this.closeAndErase.eraseComplainant(event.groupId, event.complaintId);
        await this.personalData.confirmErasure(event, erased, 'routing', records);
        return;
      }
      const corrected = payloadOf(event, 'corrected');
      if (corrected) {
        await this.override.correct(event, corrected);
        return;
      }
      const transitioned = payloadOf(event, 'transitioned');
      if (transitioned) {
        // Closing is final (a closed complaint is never reopened); every other step leaves the case open.
        if (transitioned.toStatus === 'closed') await this.closeAndErase.close(event.groupId, event.complaintId);
        return;
      }
      if (payloadOf(event, 'withdrawn')) {
        await this.closeAndErase.close(event.groupId, event.complaintId);
        return;
      }
      const complaint = payloadOf(event, 'registered')?.complaint;
      if (!complaint) {
        this.logger.warn(`registered event ${event.eventId} carries no complaint; skipped`);
        return;
      }
      const decision = await this.routeComplaint.execute(event.groupId, complaint, { redelivered });
      // One line per handled event: with replicas, the logs show which one routed what.
      this.logger.log(`routed ${decision.number} (event ${event.eventId}): ${decision.category}/${decision.severity}`);
    });
  }
}
