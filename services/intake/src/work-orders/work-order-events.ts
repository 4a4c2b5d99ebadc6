import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import {
  createEvent,
  EventBus,
  WORK_ORDER_EVENT_TYPES,
  WORK_ORDER_KEY_PREFIX,
  workOrderKey,
} from '@complaints/messaging';
import { actorToProto } from '@complaints/service-kit';
import { PendingOutbox } from '../complaints/pending-outbox';
import type { ActorRecord } from '../timeline/timeline.schema';
import type { WorkOrderRecord } from './work-order.schema';
import { WorkOrdersRepository } from './work-orders.repository';

export type WorkOrderEventStep = 'raised' | 'dispatched' | 'arrived' | 'completed' | 'confirmed' | 'rework' | 'overdue';

export interface WorkOrderStepFacts {
  step: WorkOrderEventStep;
  actor: ActorRecord | null;
  /** overdue: arrival or completion. */
  stage?: 'arrival' | 'completion';
  at: Date;
}

/**
 * The event of a work order's step, as the work order is right after it. Its id is the work order
 * and the step's place among its events (`sequence`), so a retried write or the relay gives the
 * same event, dropped by the stream and by consumers.
 */
export function workOrderEvent(after: WorkOrderRecord, sequence: number, facts: WorkOrderStepFacts): v1.EventEnvelope {
  const late =
    (facts.step === 'arrived' && after.arrivedAt !== null && after.arrivedAt.getTime() > after.arriveBy.getTime()) ||
    (facts.step === 'completed' &&
      after.completedAt !== null &&
      after.completedAt.getTime() > after.completeBy.getTime());
  return createEvent(
    'work_order',
    {
      groupId: after.groupId,
      complaintId: workOrderKey(after._id),
      occurredAt: facts.at,
      idempotencyKey: `work-order:${after._id}:${sequence}`,
    },
    {
      workOrderId: after._id,
      number: after.number,
      step: facts.step,
      stage: facts.stage ?? '',
      propertyId: after.propertyId,
      regionId: after.regionId,
      complaintId: after.complaintId,
      trade: after.trade,
      urgency: after.urgency,
      raisedAt: after.raisedAt.toISOString(),
      actor: facts.actor ? actorToProto(facts.actor) : undefined,
      // Every step once dispatched names it: notification tells the assignee of an overdue or a rework.
      assignee: after.assigneeId ? { kind: 'staff', id: after.assigneeId, name: after.assigneeName } : undefined,
      late,
      rating: facts.step === 'confirmed' || facts.step === 'rework' ? after.rating : 0,
      repeatOfId: facts.step === 'raised' ? after.repeatOfId : '',
      reworks: after.reworks,
      location: after.location,
      arriveBy: after.arriveBy.toISOString(),
      completeBy: after.completeBy.toISOString(),
    },
  );
}

/**
 * Work orders' steps as events (`work_order`), written the way a complaint's are: the event is
 * pending in the outbox before the step is stored, the work order names it in the same write
 * (`eventIds`), and it is published after; should the process stop in between, the outbox relay
 * publishes it once it finds the work order naming it.
 */
@Injectable()
export class WorkOrderEvents implements OnModuleInit {
  private readonly logger = new Logger(WorkOrderEvents.name);

  constructor(
    private readonly outbox: PendingOutbox,
    private readonly bus: EventBus,
    private readonly workOrders: WorkOrdersRepository,
  ) {}

  onModuleInit(): void {
    this.outbox.registerRecords(WORK_ORDER_EVENT_TYPES, async (groupId, key, eventId) => {
      const record = await this.workOrders.findById(groupId, key.slice(WORK_ORDER_KEY_PREFIX.length));
      return (record?.eventIds ?? []).includes(eventId);
    });
  }

  /** Pending before the write; what the write adds to the work order so that it names the event. */
  async pending(
    before: WorkOrderRecord | null,
    after: WorkOrderRecord,
    facts: WorkOrderStepFacts,
  ): Promise<{ event: v1.EventEnvelope; eventIds: string[] }> {
    const earlier = before?.eventIds ?? [];
    const event = workOrderEvent(after, earlier.length, facts);
    await this.outbox.add(event);
    return { event, eventIds: [...earlier, event.eventId] };
  }

  /** After the write: on the stream now, or by the relay later. */
  async publish(event: v1.EventEnvelope): Promise<void> {
    try {
      await this.bus.publish(event);
      this.outbox.published(event.eventId);
    } catch (error) {
      this.logger.warn(`work order event ${event.eventId} left to the outbox relay: ${String(error)}`);
    }
  }
}
