import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { EnsureSchedules } from '../schedules/ensure-schedules';
import { ProjectEvent } from './project-event';

/** Projects every complaint event into the read model (durable consumer `reporting`). */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly projection: ProjectEvent,
    private readonly schedules: EnsureSchedules,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'reporting', types: 'all' }, async (event) => {
      await this.projection.project(event);
      await this.schedules.forGroup(event.groupId);
    });
  }
}
