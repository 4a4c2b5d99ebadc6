import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { createEvent, EventBus, HANDOVER_EVENT_TYPES } from '@complaints/messaging';
import { PendingOutbox } from '../complaints/pending-outbox';
import { HandoverRepository } from './handover.repository';
import { dayKey, monthKey, type HandoverEntryRecord, type StaffRefRecord } from './handover.schema';

// The handover book's events. They are about no complaint: the envelope's complaintId carries the
// id of the record the fact changed (the entry, the ledger day or month), which is also what the
// outbox relay reads to learn whether the change was stored. Event ids come from the fact itself
// (record, who, when): the relay re-publishes a pending event under the id it was written with,
// and JetStream and the consumers drop the second copy.

const actor = (by: StaffRefRecord): v1.Actor => ({ kind: 'staff', id: by.id, name: by.name });
const openFollowUps = (entry: HandoverEntryRecord) => entry.items.filter((item) => !item.done).length;

export function handoverWrittenEvent(entry: HandoverEntryRecord, by: StaffRefRecord, corrected: boolean) {
  return createEvent(
    'handover_written',
    {
      groupId: entry.groupId,
      complaintId: entry._id,
      occurredAt: entry.updatedAt,
      idempotencyKey: `handover_written:${entry._id}:${by.id}:${entry.updatedAt.toISOString()}`,
    },
    {
      entryId: entry._id,
      propertyId: entry.propertyId,
      day: entry.day,
      shiftName: entry.shiftName,
      shiftStart: entry.shiftStart.toISOString(),
      shiftEnd: entry.shiftEnd.toISOString(),
      onShift: entry.onShift.map(actor),
      writtenBy: actor(by),
      corrected,
      openFollowUps: openFollowUps(entry),
      carriedFollowUps: entry.items.filter((item) => item.carried && !item.done).length,
      openComplaints: entry.openComplaints.length,
      previousEntryId: entry.previousEntryId,
    },
  );
}

/** The day as the signature leaves it (see HandoverSigned in events.proto). */
export interface DayAfterSigning {
  entries: number;
  signed: number;
  readyForReview: boolean;
}

export function handoverSignedEvent(
  entry: HandoverEntryRecord,
  by: StaffRefRecord,
  note: string,
  at: Date,
  day: DayAfterSigning,
) {
  return createEvent(
    'handover_signed',
    {
      groupId: entry.groupId,
      complaintId: entry._id,
      occurredAt: at,
      idempotencyKey: `handover_signed:${entry._id}:${by.id}:${at.toISOString()}`,
    },
    {
      entryId: entry._id,
      propertyId: entry.propertyId,
      day: entry.day,
      shiftName: entry.shiftName,
      shiftEnd: entry.shiftEnd.toISOString(),
      signedBy: actor(by),
      note,
      openFollowUps: openFollowUps(entry),
      dayEntries: day.entries,
      daySigned: day.signed,
      dayReadyForReview: day.readyForReview,
    },
  );
}

export function ledgerDayReviewedEvent(
  groupId: string,
  propertyId: string,
  day: string,
  entryIds: readonly string[],
  review: { by: StaffRefRecord; at: Date; note: string },
) {
  const id = dayKey(groupId, propertyId, day);
  return createEvent(
    'ledger_day_reviewed',
    {
      groupId,
      complaintId: id,
      occurredAt: review.at,
      idempotencyKey: `ledger_day_reviewed:${id}:${review.by.id}:${review.at.toISOString()}`,
    },
    { propertyId, day, reviewedBy: actor(review.by), note: review.note, entryIds: [...entryIds] },
  );
}

export function ledgerMonthArchivedEvent(
  groupId: string,
  propertyId: string,
  month: string,
  days: readonly string[],
  archive: { by: StaffRefRecord; at: Date },
) {
  const id = monthKey(groupId, propertyId, month);
  return createEvent(
    'ledger_month_archived',
    {
      groupId,
      complaintId: id,
      occurredAt: archive.at,
      idempotencyKey: `ledger_month_archived:${id}:${archive.by.id}:${archive.at.toISOString()}`,
    },
    { propertyId, month, archivedBy: actor(archive.by), days: [...days] },
  );
}

/**
 * Publishes the handover book's events as intake publishes a complaint's: the event is written
 * pending (`pending_outbox`) before the write that makes the change, and that write names it on
 * the record (`eventIds`); then it is published. A crash or an unreachable NATS in between
 * leaves it to the outbox relay, which publishes it once the record names it.
 */
@Injectable()
export class HandoverEvents implements OnModuleInit {
  private readonly logger = new Logger(HandoverEvents.name);

  constructor(
    private readonly outbox: PendingOutbox,
    private readonly bus: EventBus,
    private readonly repository: HandoverRepository,
  ) {}

  onModuleInit(): void {
    this.outbox.registerRecords(HANDOVER_EVENT_TYPES, (groupId, recordId, eventId, type) =>
      this.repository.namesEvent(groupId, recordId, type, eventId),
    );
  }

  /** Before the write that makes the change. */
  async pending(event: v1.EventEnvelope): Promise<void> {
    await this.outbox.add(event);
  }

  /** The write did not happen (refused or failed): nothing to announce. */
  async withdraw(event: v1.EventEnvelope): Promise<void> {
    await this.outbox.remove(event.eventId);
  }

  /** After the write: on the stream now, or by the relay later. */
  async publish(event: v1.EventEnvelope): Promise<void> {
    try {
      await this.bus.publish(event);
      this.outbox.published(event.eventId);
    } catch (error) {
      this.logger.warn(`${event.type} of ${event.complaintId} left to the outbox relay: ${String(error)}`);
    }
  }
}
