import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus, payloadOf } from '@complaints/messaging';
import { PersonalDataClient } from '@complaints/service-kit';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { CasesRepository } from '../cases/cases.repository';
import { PlanNotifications } from '../deliveries/plan-notifications';
import { EnsureDigest } from '../digest/ensure-digest';
import { ReceivedEventsRepository } from './received-events.repository';

/**
 * Hears every complaint event (durable consumer `notification`): keeps the case up to date,
 * then plans who is told. A redelivered event plans the same deliveries, which exist already.
 * An erasure empties the complainant's delivery records of the complaint and confirms to intake.
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly received: ReceivedEventsRepository,
    private readonly cases: CasesRepository,
    private readonly plan: PlanNotifications,
    private readonly digest: EnsureDigest,
    private readonly deliveries: DeliveriesRepository,
    private readonly personalData: PersonalDataClient,
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
      const erased = payloadOf(event, 'personal_data_erased');
      if (erased) {
        const records =
          (await this.deliveries.eraseComplainant(event.groupId, event.complaintId)) +
          (await this.cases.eraseContact(event.groupId, event.complaintId));
        await this.personalData.confirmErasure(event, erased, 'notification', records);
      }
      await this.plan.execute(event);
      if (event.type === 'registered') await this.digest.forGroup(event.groupId);
    });
  }
}
