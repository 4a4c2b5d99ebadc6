import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { ReceivedEventsRepository } from './received-events.repository';

/** Hears every complaint event (durable consumer `notification`). */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly received: ReceivedEventsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'notification', types: 'all' }, async (event) => {
      await this.received.recordOnce({
        _id: event.eventId,
        groupId: event.groupId,
        complaintId: event.complaintId,
        type: event.type,
        occurredAt: new Date(event.occurredAt),
        receivedAt: new Date(),
      });
    });
  }
}
