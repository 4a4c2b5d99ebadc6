import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { EventBus, HANDOVER_EVENT_TYPES, payloadOf, WORK_ORDER_EVENT_TYPES } from '@complaints/messaging';
import { timelineEntryFor } from '../timeline/timeline-entries';
import {
  ComplaintsRepository,
  FINAL_STATUSES,
  type ComplaintChange,
  type ComplaintState,
} from './complaints.repository';
import { NO_DEADLINE, type ComplaintRecord } from './complaint.schema';

/** The events intake itself publishes (registration, staff changes, erasure, the handover book). */
const INTAKE_EVENTS: ReadonlySet<string> = new Set([
  'registered',
  'note_added',
  'withdrawn',
  'personal_data_erased',
  'corrected',
  'staff_consequence',
  ...HANDOVER_EVENT_TYPES,
  // Work orders' own events (not a complaint's: the linked complaint's timeline is written directly).
  ...WORK_ORDER_EVENT_TYPES,
]);

/**
 * Keeps the complaint record and its timeline up to date with what the other services did
 * (durable consumer `intake`), for the events of the other services.
 * Each event costs 2 store round trips, all by `_id`: insert the entry, one write of the head and
 * the change; a third, reading the complaint first, when this process does not remember it (or
 * another wrote it since: ComplaintsRepository.applyEvent). Everything touched
 * belongs to the event's complaint, so complaints handled concurrently never share a document.
 */
@Injectable()
export class ComplaintEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: EventBus,
    private readonly complaints: ComplaintsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume({ name: 'intake', types: 'all' }, async (event) => {
      // Intake's own events: the request that stored the change appended the entry before
      // publishing, or else left the event pending and the relay appends it before publishing;
      // what they change is on the record already. Nothing to read.
      if (INTAKE_EVENTS.has(event.type)) return;
      // Events of complaints this database does not hold (another deployment's) are not ours:
      // applyEvent finds no complaint and does nothing.
      await this.complaints.applyEvent(event.groupId, event.complaintId, timelineEntryFor(event), (complaint) =>
        changeFor(event, complaint),
      );
    });
  }
}

/** What the event changes on the record as read; the same rules the conditional updates had. */
export function changeFor(event: v1.EventEnvelope, read: ComplaintState): ComplaintChange {
  const record = { ...read };
  const change: ComplaintChange = {};
  const set = (values: ComplaintChange) => {
    Object.assign(change, values);
    Object.assign(record, values);
  };
  const routing = payloadOf(event, 'routed') ?? payloadOf(event, 'reclassified');
  if (routing) {
    set({ category: routing.category, severity: routing.severity, department: routing.department });
    // The status moves on only from `registered`.
    if (record.status === 'registered') set({ status: 'assigned' });
  }
  // Who handles it, for "my queue" and the team's.
  const handling = payloadOf(event, 'routed') ?? payloadOf(event, 'reassigned');
  if (handling?.handler)
    set({ handlerId: handling.handler.id, handlerName: handling.handler.name, departmentId: handling.departmentId });
  // Moved to another property (a correction): its handler there (or none) and department.
  const moved = payloadOf(event, 'reassigned');
  if (moved?.propertyId) {
    set({
      handlerId: moved.handler?.id ?? '',
      handlerName: moved.handler?.name ?? '',
      departmentId: moved.departmentId,
      department: moved.department || record.department,
    });
  }
  // Handled as part of another complaint from now on (duplicate or collective member).
  if (payloadOf(event, 'merged') && !FINAL_STATUSES.includes(record.status)) set({ status: 'merged' });
  const lifecycle = (status: string, at: Date, snapshot?: v1.LifecycleSnapshot) => {
    // Withdrawn and closed records stay as they are; an older snapshot never overwrites a newer one.
    if (record.status === 'withdrawn' || record.status === 'closed') return;
    if (record.lifecycleAt && new Date(record.lifecycleAt).getTime() > at.getTime()) return;
    // The retention period of personal data counts from the close.
    set({
      status: status as ComplaintRecord['status'],
      lifecycleAt: at,
      ...(status === 'closed' ? { closedAt: at } : {}),
      ...queueFieldsOf(status, snapshot),
    });
  };
  // Handled on its own again; its lifecycle's next event says where exactly it stands.
  if (payloadOf(event, 'unmerged')) lifecycle('assigned', new Date(event.occurredAt));
  if (payloadOf(event, 'deadline_breached') && !record.overdue) set({ overdue: true });
  if (event.lifecycle?.status) lifecycle(event.lifecycle.status, new Date(event.occurredAt), event.lifecycle);
  // Handled as part of another complaint: out of every queue.
  if (change.status === 'merged') set(queueFieldsOf('merged'));
  return change;
}

/** Where a complaint stands in the queues after a lifecycle snapshot: its nearest running deadline, and who must decide. */
export function queueFieldsOf(status: string, snapshot?: v1.LifecycleSnapshot): ComplaintChange {
  const running = FINAL_STATUSES.includes(status as ComplaintRecord['status'])
    ? []
    : Object.entries(snapshot?.deadlines ?? {})
        .filter(([, dueAt]) => dueAt !== '')
        .map(([name, dueAt]) => ({ name, at: new Date(dueAt) }))
        .filter(({ at }) => !Number.isNaN(at.getTime()))
        .sort((a, b) => a.at.getTime() - b.at.getTime());
  const nearest = running[0];
  return {
    nextDeadline: nearest?.name ?? '',
    nextDeadlineAt: nearest?.at ?? null,
    queueAt: nearest?.at ?? NO_DEADLINE,
    awaitingApprovalLevel: FINAL_STATUSES.includes(status as ComplaintRecord['status'])
      ? ''
      : (snapshot?.awaitingApprovalLevel ?? ''),
  };
}
