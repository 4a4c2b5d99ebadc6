/** The one stream holding every complaint event; reporting rebuilds its read models from it. */
export const COMPLAINTS_STREAM = 'COMPLAINTS';

/** Subjects are versioned: `complaints.v1.<event type>`. */
export const SUBJECT_PREFIX = 'complaints.v1';

/** The events of complaints: every type but a work order's own. Webhooks deliver these. */
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
/** `work_order`: a repair work order's step, keyed by the work order (a work order may have no complaint). */
export const EVENT_TYPES = [...COMPLAINT_EVENT_TYPES, 'work_order'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function subjectOf(type: EventType): string {
  return `${SUBJECT_PREFIX}.${type}`;
}

export const ALL_EVENTS_SUBJECT = `${SUBJECT_PREFIX}.>`;
