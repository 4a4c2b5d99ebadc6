import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus, payloadOf } from '@complaints/messaging';
import { RouteComplaint } from './use-cases/route-complaint';

/** Routes every registered complaint (durable consumer `routing`). */
@Injectable()
export class RegisteredConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RegisteredConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly routeComplaint: RouteComplaint,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'routing', types: ['registered'] }, async (event) => {
      const complaint = payloadOf(event, 'registered')?.complaint;
      if (!complaint) {
        this.logger.warn(`registered event ${event.eventId} carries no complaint; skipped`);
        return;
      }
      await this.routeComplaint.execute(event.groupId, complaint);
    });
  }
}
