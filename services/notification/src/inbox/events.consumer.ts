import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { CasesRepository } from '../cases/cases.repository';
import { PlanNotifications } from '../deliveries/plan-notifications';
import { EnsureDigest } from '../digest/ensure-digest';
import { ReceivedEventsRepository } from './received-events.repository';

/**
 * Hears every complaint event (durable consumer `notification`): keeps the case up to date,
 * then plans who is told. A redelivered event plans the same deliveries, which exist already.
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly received: ReceivedEventsRepository,
    private readonly cases: CasesRepository,
    private readonly plan: PlanNotifications,
    private readonly digest: EnsureDigest,
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
      await this.cases.apply(event);
      await this.plan.execute(event);
      if (event.type === 'registered') await this.digest.forGroup(event.groupId);
    });
  }
}
