import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { severity } from '@complaints/domain';
import { EventBus, payloadOf } from '@complaints/messaging';
import { StartLifecycle } from './use-cases/start-lifecycle';

/**
 * Starts one lifecycle per routed complaint (durable consumer `escalation`). The start is
 * here, off the request path: the partner's POST never waits for Temporal.
 */
@Injectable()
export class RoutedConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutedConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly startLifecycle: StartLifecycle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'escalation', types: ['routed'] }, async (event) => {
      const routed = payloadOf(event, 'routed');
      if (!routed) return;
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
