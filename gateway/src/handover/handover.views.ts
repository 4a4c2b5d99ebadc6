import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { HANDOVER_CHECKLIST } from '@complaints/domain';

// What the API answers about handovers and ledgers; the same schemas document it.

const staffRef = z.object({ id: z.string(), name: z.string() });

export const handoverItemView = z.object({
  id: z.string(),
  text: z.string(),
  firstEntryId: z.string().describe('the entry it was first written on'),
  firstDay: z.string(),
  carried: z.boolean().describe('carried in from the previous entry, open until marked done'),
  done: z.boolean(),
  doneBy: staffRef.nullable(),
  doneAt: z.string().nullable(),
  note: z.string().describe('how it was finished (完成情况), or how it stands'),
});

export const openComplaintView = z.object({
  id: z.string(),
  number: z.string(),
  status: z.string(),
  severity: z.string(),
  category: z.string(),
  handlerName: z.string(),
  nextDeadlineAt: z.string().nullable(),
  overdue: z.boolean(),
});

export const handoverView = z.object({
  id: z.string(),
  propertyId: z.string(),
  day: z.string().describe('the ledger day: the day the shift starts on, in the property’s time zone'),
  shift: z.object({ name: z.string(), start: z.string(), end: z.string() }),
  onShift: z.array(staffRef),
  writtenBy: staffRef,
  writtenAt: z.string(),
  updatedAt: z.string(),
  items: z.array(handoverItemView),
  residentSituations: z.string(),
  keysAndItems: z.string(),
  notices: z.string(),
  checklist: z.array(z.object({ item: z.enum(HANDOVER_CHECKLIST), checked: z.boolean(), note: z.string() })),
  openComplaints: z
    .array(openComplaintView)
    .describe('complaints of the property not closed, taken when written and again when signed'),
  openComplaintsAt: z.string(),
  openComplaintsTruncated: z.boolean().describe('more are open than listed'),
  signed: z
    .object({ by: staffRef, at: z.string(), note: z.string() })
    .nullable()
    .describe('the incoming shift’s signature; null until handed over'),
  previousEntryId: z.string().nullable(),
});
export type HandoverView = z.infer<typeof handoverView>;

export const handoverPreviewView = z.object({
  carried: z.array(handoverItemView),
  openComplaints: z.array(openComplaintView),
  openComplaintsTruncated: z.boolean(),
  previousEntryId: z.string().nullable(),
});

const review = z.object({ by: staffRef, at: z.string(), note: z.string() });

export const ledgerDayView = z.object({
  id: z.string(),
  propertyId: z.string(),
  day: z.string(),
  entries: z.array(handoverView),
  entryCount: z.number().int(),
  signedCount: z.number().int(),
  review: review.nullable().describe('the supervisor’s review and signature; null until reviewed'),
});

export const ledgerMonthView = z.object({
  id: z.string(),
  propertyId: z.string(),
  month: z.string(),
  days: z.array(z.object({ day: z.string(), entryCount: z.number().int(), review: review.nullable() })),
  archived: z.object({ by: staffRef, at: z.string() }).nullable().describe('null until archived; read-only after'),
});

const ref = (staff: v1.StaffRef | undefined) => ({ id: staff?.id ?? '', name: staff?.name ?? '' });
const orNull = (value: string) => value || null;

export function toHandoverItemView(item: v1.HandoverItem): z.infer<typeof handoverItemView> {
  return {
    id: item.id,
    text: item.text,
    firstEntryId: item.firstEntryId,
    firstDay: item.firstDay,
    carried: item.carried,
    done: item.done,
    doneBy: item.doneBy?.id ? ref(item.doneBy) : null,
    doneAt: orNull(item.doneAt),
    note: item.note,
  };
}

export function toOpenComplaintView(complaint: v1.OpenComplaint): z.infer<typeof openComplaintView> {
  return { ...complaint, nextDeadlineAt: orNull(complaint.nextDeadlineAt) };
}

export function toHandoverView(entry: v1.HandoverEntry | undefined): HandoverView {
  if (!entry) throw new Error('intake answered without the handover');
  return {
    id: entry.id,
    propertyId: entry.propertyId,
    day: entry.day,
    shift: { name: entry.shiftName, start: entry.shiftStart, end: entry.shiftEnd },
    onShift: entry.onShift.map(ref),
    writtenBy: ref(entry.writtenBy),
    writtenAt: entry.writtenAt,
    updatedAt: entry.updatedAt,
    items: entry.items.map(toHandoverItemView),
    residentSituations: entry.residentSituations,
    keysAndItems: entry.keysAndItems,
    notices: entry.notices,
    checklist: entry.checklist.map((answer) => ({
      item: answer.item as (typeof HANDOVER_CHECKLIST)[number],
      checked: answer.checked,
      note: answer.note,
    })),
    openComplaints: entry.openComplaints.map(toOpenComplaintView),
    openComplaintsAt: entry.openComplaintsAt,
    openComplaintsTruncated: entry.openComplaintsTruncated,
    signed: entry.signedAt ? { by: ref(entry.signedBy), at: entry.signedAt, note: entry.signNote } : null,
    previousEntryId: orNull(entry.previousEntryId),
  };
}

const reviewOf = (day: v1.LedgerDay) =>
  day.reviewedAt ? { by: ref(day.reviewedBy), at: day.reviewedAt, note: day.reviewNote } : null;

export function toLedgerDayView(day: v1.LedgerDay | undefined): z.infer<typeof ledgerDayView> {
  if (!day) throw new Error('intake answered without the day');
  return {
    id: day.id,
    propertyId: day.propertyId,
    day: day.day,
    entries: day.entries.map(toHandoverView),
    entryCount: day.entryCount,
    signedCount: day.signedCount,
    review: reviewOf(day),
  };
}

export function toLedgerMonthView(month: v1.LedgerMonth | undefined): z.infer<typeof ledgerMonthView> {
  if (!month) throw new Error('intake answered without the month');
  return {
    id: month.id,
    propertyId: month.propertyId,
    month: month.month,
    days: month.days.map((day) => ({ day: day.day, entryCount: day.entryCount, review: reviewOf(day) })),
    archived: month.archivedAt ? { by: ref(month.archivedBy), at: month.archivedAt } : null,
  };
}
