import { randomUUID, createHash } from 'node:crypto';
import { v1 } from '@complaints/contracts';
import type { EventType } from './subjects';

type Payload = NonNullable<v1.EventEnvelope['payload']>;
/** The payload that belongs to each event type, as the `oneof` in events.proto declares it. */
interface PayloadByType {
  registered: v1.ComplaintRegistered;
  routed: v1.ComplaintRouted;
  deadline_breached: v1.DeadlineBreached;
  withdrawn: v1.ComplaintWithdrawn;
  note_added: v1.NoteAdded;
  reclassified: v1.ComplaintReclassified;
  reassigned: v1.ComplaintReassigned;
  merged: v1.ComplaintMerged;
  transitioned: v1.LifecycleTransitioned;
  deadline_reminder: v1.DeadlineReminder;
  escalated: v1.ComplaintEscalated;
  unmerged: v1.ComplaintUnmerged;
  personal_data_erased: v1.PersonalDataErased;
  corrected: v1.ComplaintCorrected;
  staff_consequence: v1.StaffConsequenceRecorded;
  handover_written: v1.HandoverWritten;
  handover_signed: v1.HandoverSigned;
  ledger_day_reviewed: v1.LedgerDayReviewed;
  ledger_month_archived: v1.LedgerMonthArchived;
  corrective_action: v1.CorrectiveActionStepped;
  work_order: v1.WorkOrderStepped;
}
export type PayloadOf<T extends EventType> = PayloadByType[T];

const CASE_BY_TYPE: { [T in EventType]: Payload['$case'] } = {
  registered: 'registered',
  routed: 'routed',
  deadline_breached: 'deadlineBreached',
  withdrawn: 'withdrawn',
  note_added: 'noteAdded',
  reclassified: 'reclassified',
  reassigned: 'reassigned',
  merged: 'merged',
  transitioned: 'transitioned',
  deadline_reminder: 'deadlineReminder',
  escalated: 'escalated',
  unmerged: 'unmerged',
  personal_data_erased: 'personalDataErased',
  corrected: 'corrected',
  staff_consequence: 'staffConsequence',
  handover_written: 'handoverWritten',
  handover_signed: 'handoverSigned',
  ledger_day_reviewed: 'ledgerDayReviewed',
  ledger_month_archived: 'ledgerMonthArchived',
  corrective_action: 'correctiveAction',
  work_order: 'workOrder',
};

export interface EventHeader {
  groupId: string;
  /** The complaint; for the handover book's events, the record's id (see HANDOVER_EVENT_TYPES). */
  complaintId: string;
  /** Defaults to now. */
  occurredAt?: Date;
  /**
   * A stable id for facts that may be produced twice (a redelivered input, a retried
   * activity): the same key gives the same event id, so JetStream drops the second publish.
   */
  idempotencyKey?: string;
  traceContext?: Record<string, string>;
  /** Lifecycle events carry the complaint's state right after them. */
  lifecycle?: v1.LifecycleSnapshot;
}

/**
 * The envelope's `complaintId` of a work order's events: the work order's own key, so they keep
 * their order and deduplication per work order, and are never taken for a complaint's.
 */
export function workOrderKey(workOrderId: string): string {
  return `${WORK_ORDER_KEY_PREFIX}${workOrderId}`;
}
export const WORK_ORDER_KEY_PREFIX = 'work-order:';

export function eventId(idempotencyKey?: string): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(idempotencyKey).digest('hex');
  // Shaped like a UUID so every event id looks alike in logs and stores.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function createEvent<T extends EventType>(
  type: T,
  header: EventHeader,
  payload: PayloadOf<T>,
): v1.EventEnvelope {
  return {
    eventId: eventId(header.idempotencyKey),
    type,
    occurredAt: (header.occurredAt ?? new Date()).toISOString(),
    groupId: header.groupId,
    complaintId: header.complaintId,
    traceContext: header.traceContext ?? {},
    payload: { $case: CASE_BY_TYPE[type], value: payload } as Payload,
    lifecycle: header.lifecycle,
  };
}

/** Narrows an envelope to the payload of its type, or undefined when it carries another. */
export function payloadOf<T extends EventType>(event: v1.EventEnvelope, type: T): PayloadOf<T> | undefined {
  const payload: { $case: string; value: unknown } | undefined = event.payload;
  if (payload?.$case !== CASE_BY_TYPE[type]) return undefined;
  return payload.value as PayloadOf<T>;
}
