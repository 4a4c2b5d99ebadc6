import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { ComplaintFactsRepository } from './complaint-facts.repository';
import { factChanges } from './project-event';

/** Projects every complaint event into the read model (durable consumer `reporting`). */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly facts: ComplaintFactsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'reporting', types: 'all' }, async (event) => {
      await this.facts.applyOnce(event.groupId, event.complaintId, event.eventId, factChanges(event));
    });
  }
}
