import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { EnsureSchedules } from '../schedules/ensure-schedules';
import { ProjectEvent } from './project-event';

/** Projects every complaint event into the read model (durable consumer `reporting`). */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventsConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly projection: ProjectEvent,
    private readonly schedules: EnsureSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'reporting', types: 'all' }, async (event) => {
      await this.projection.project(event);
      // Temporal being away must not hold up the figures: the schedules are tried again with the next event.
      await this.schedules
        .forGroup(event.groupId)
        .catch((error: unknown) =>
          this.logger.warn(`report schedules of ${event.groupId} not ensured: ${String(error)}`),
        );
    });
  }
}
