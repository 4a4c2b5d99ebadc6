import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { severity } from '@complaints/domain';
import { EventBus, payloadOf } from '@complaints/messaging';
import { StartLifecycle } from './use-cases/start-lifecycle';
import { EndLifecycle } from './use-cases/end-lifecycle';

/**
 * Starts one lifecycle per routed complaint and ends it when the complaint is withdrawn
 * (durable consumer `escalation`). The start is here, off the request path: the partner's
 * POST never waits for Temporal.
 */
@Injectable()
export class LifecycleEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(LifecycleEventsConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly startLifecycle: StartLifecycle,
    private readonly endLifecycle: EndLifecycle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'escalation', types: ['routed', 'withdrawn', 'merged'] }, async (event) => {
      const withdrawn = payloadOf(event, 'withdrawn');
      if (withdrawn) {
        await this.endLifecycle.execute(event.complaintId, { withdrawn: withdrawn.reason });
        return;
      }
      const merged = payloadOf(event, 'merged');
      if (merged) {
        await this.endLifecycle.execute(event.complaintId, { mergedInto: merged.intoComplaintId });
        return;
      }
      const routed = payloadOf(event, 'routed');
      // Answered at first contact, or handled as part of another complaint: nothing of its own to enforce.
      if (!routed || routed.resolvedAtFirstContact || routed.mergedInto) return;
      const parsedSeverity = severity.safeParse(routed.severity);
      if (!parsedSeverity.success) {
        this.logger.error(`routed event ${event.eventId} has unknown severity "${routed.severity}"; skipped`);
        return;
      }
      await this.startLifecycle.execute({
        groupId: event.groupId,
        complaintId: event.complaintId,
        number: routed.number,
        propertyId: routed.propertyId,
        category: routed.category,
        severity: parsedSeverity.data,
        department: routed.department,
        receivedAt: routed.receivedAt,
      });
    });
  }
}
