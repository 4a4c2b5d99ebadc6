/** The one stream holding every complaint event; reporting rebuilds its read models from it. */
export const COMPLAINTS_STREAM = 'COMPLAINTS';

/** Subjects are versioned: `complaints.v1.<event type>`. */
export const SUBJECT_PREFIX = 'complaints.v1';

/**
 * Complaint events: about one complaint (the envelope's complaintId), corrective actions' steps
 * included (on the complaint that opened them); what partner webhooks subscribe to.
 */
export const COMPLAINT_EVENT_TYPES = [
  'registered',
  'routed',
  'deadline_breached',
  'withdrawn',
  'note_added',
  'reclassified',
  'reassigned',
  'merged',
  'transitioned',
  'deadline_reminder',
  'escalated',
  'unmerged',
  'personal_data_erased',
  'corrected',
  'staff_consequence',
  'corrective_action',
] as const;
export type ComplaintEventType = (typeof COMPLAINT_EVENT_TYPES)[number];

/**
 * The handover book's and work ledger's events (交接班本, 工作台帐), published by intake on the
 * same stream. About no complaint: the envelope's complaintId carries the record's id (the
 * entry's, or the ledger day's or month's), so that the events of one record are handled in
 * order. Desk-internal: partner webhooks do not subscribe to them, and consumers of every
 * subject that keep complaint records leave them alone ({@link isHandoverEvent}).
 */
export const HANDOVER_EVENT_TYPES = [
  'handover_written',
  'handover_signed',
  'ledger_day_reviewed',
  'ledger_month_archived',
] as const;
export type HandoverEventType = (typeof HANDOVER_EVENT_TYPES)[number];

/** `work_order`: a repair work order's step, keyed `work-order:<id>` (a work order may have no complaint). */
export const WORK_ORDER_EVENT_TYPES = ['work_order'] as const;

/** Every event on the stream. */
export const EVENT_TYPES = [...COMPLAINT_EVENT_TYPES, ...WORK_ORDER_EVENT_TYPES, ...HANDOVER_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const HANDOVER_TYPES: ReadonlySet<string> = new Set(HANDOVER_EVENT_TYPES);
/** Whether an event is the handover book's rather than a complaint's. */
export const isHandoverEvent = (event: { type: string }): boolean => HANDOVER_TYPES.has(event.type);

const WORK_ORDER_TYPES: ReadonlySet<string> = new Set(WORK_ORDER_EVENT_TYPES);
/** Whether an event is a repair work order's (keyed by the work order, not by a complaint). */
export const isWorkOrderEvent = (event: { type: string }): boolean => WORK_ORDER_TYPES.has(event.type);

export function subjectOf(type: EventType): string {
  return `${SUBJECT_PREFIX}.${type}`;
}

export const ALL_EVENTS_SUBJECT = `${SUBJECT_PREFIX}.>`;
