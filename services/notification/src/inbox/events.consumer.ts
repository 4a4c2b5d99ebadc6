import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { EventBus, isHandoverEvent, isWorkOrderEvent, payloadOf } from '@complaints/messaging';
import { PersonalDataClient } from '@complaints/service-kit';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { CasesRepository } from '../cases/cases.repository';
import { DeliverNow } from '../deliveries/deliver-now';
import { PlanNotifications } from '../deliveries/plan-notifications';
import { EnsureDigest } from '../digest/ensure-digest';
import { HandoverEventsHandler } from '../handover/handover-events.handler';
import { WorkOrderEventsHandler } from '../work-orders/work-order-events.handler';

/**
 * Hears every event (durable consumer `notification`). The handover book's go to
 * HandoverEventsHandler (the desk's messages, the entries' reminders), repair work orders' to
 * WorkOrderEventsHandler (the assignee's and supervisors' messages). For a complaint's, it
 * keeps the case up to date, plans who is told and sends it at once (a retry or a quiet-hours wait goes to Temporal). The
 * event is acknowledged only when its deliveries are sent or handed over: a redelivered event
 * plans the same deliveries and sends only those not sent. An erasure empties the
 * complainant's delivery records of the complaint and confirms to intake.
 *
 * Store round trips per event, all by `_id`: the case (one write, which also lists the
 * complainant's new deliveries; a read first only for a case this process does not remember),
 * the deliveries (one insert and one bulk write for all of them, the write shared with the events
 * handled at the same time; none when the event tells nobody). Settings and subscriptions come
 * from per-group caches.
 *
 * Events of different complaints are handled at once: the documents several complaints share
 * are the group's settings and subscriptions (only read here) and a collective's member list
 * (`$addToSet`/`$pull` on its own document).
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly cases: CasesRepository,
    private readonly plan: PlanNotifications,
    private readonly deliverNow: DeliverNow,
    private readonly digest: EnsureDigest,
    private readonly deliveries: DeliveriesRepository,
    private readonly personalData: PersonalDataClient,
    private readonly handover: HandoverEventsHandler,
    private readonly workOrders: WorkOrderEventsHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'notification', types: 'all' }, async (event) => {
      // The handover book's events are about no complaint: no case, no partner webhook.
      if (isHandoverEvent(event)) return this.handover.handle(event);
      // Nor are repair work orders' (keyed work-order:<id>): their assignee's and supervisors' messages.
      if (isWorkOrderEvent(event)) return this.workOrders.handle(event);
      const { subject, planned } = await this.cases.apply(event, (next) => this.plan.plan(event, next));
      const erased = payloadOf(event, 'personal_data_erased');
      if (erased) {
        const listed = subject?.deliveriesListed ? (subject.complainantDeliveries ?? []) : null;
        const records =
          (await this.deliveries.eraseComplainant(event.groupId, event.complaintId, listed)) +
          (await this.cases.eraseContact(event.groupId, event.complaintId));
        await this.personalData.confirmErasure(event, erased, 'notification', records);
      }
      await this.deliverNow.deliver(planned);
      if (event.type === 'registered') await this.digest.forGroup(event.groupId);
    });
  }
}
