/** The one stream holding every complaint event; reporting rebuilds its read models from it. */
export const COMPLAINTS_STREAM = 'COMPLAINTS';

/** Subjects are versioned: `complaints.v1.<event type>`. */
export const SUBJECT_PREFIX = 'complaints.v1';

/** Complaint events: about one complaint (the envelope's complaintId); what partner webhooks subscribe to. */
export const EVENT_TYPES = [
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
] as const;
export type ComplaintEventType = (typeof EVENT_TYPES)[number];

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

export type EventType = ComplaintEventType | HandoverEventType;

const HANDOVER_TYPES: ReadonlySet<string> = new Set(HANDOVER_EVENT_TYPES);
/** Whether an event is the handover book's rather than a complaint's. */
export const isHandoverEvent = (event: { type: string }): boolean => HANDOVER_TYPES.has(event.type);

export function subjectOf(type: EventType): string {
  return `${SUBJECT_PREFIX}.${type}`;
}

export const ALL_EVENTS_SUBJECT = `${SUBJECT_PREFIX}.>`;
