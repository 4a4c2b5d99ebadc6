import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { DomainError } from '@complaints/service-kit';
import type { HandoverEntryRecord, HandoverItemRecord, OpenComplaintRecord, StaffRefRecord } from './handover.schema';
import { HandoverBook } from './use-cases/handover-book';
import { Ledger, type LedgerDayView } from './use-cases/ledger';

const NOBODY: v1.StaffRef = { id: '', name: '' };
const iso = (at: Date | null | undefined) => (at ? new Date(at).toISOString() : '');
const staffRef = (ref: StaffRefRecord | null | undefined): v1.StaffRef =>
  ref ? { id: ref.id, name: ref.name } : NOBODY;

/** Who acts: the gateway names a signed-in staff member; nobody else writes the book. */
function actor(ref: v1.StaffRef | undefined): StaffRefRecord {
  if (!ref?.id) throw new DomainError('permission_denied', 'the handover book is written and signed by staff members');
  return { id: ref.id, name: ref.name };
}

function toItem(item: HandoverItemRecord): v1.HandoverItem {
  return {
    id: item.id,
    text: item.text,
    firstEntryId: item.firstEntryId,
    firstDay: item.firstDay,
    carried: item.carried,
    done: item.done,
    doneBy: staffRef(item.doneBy),
    doneAt: iso(item.doneAt),
    note: item.note,
  };
}

function toOpenComplaint(complaint: OpenComplaintRecord): v1.OpenComplaint {
  return { ...complaint, nextDeadlineAt: iso(complaint.nextDeadlineAt) };
}

function toEntry(entry: HandoverEntryRecord): v1.HandoverEntry {
  return {
    id: entry._id,
    groupId: entry.groupId,
    propertyId: entry.propertyId,
    day: entry.day,
    shiftName: entry.shiftName,
    shiftStart: iso(entry.shiftStart),
    shiftEnd: iso(entry.shiftEnd),
    onShift: entry.onShift.map(staffRef),
    writtenBy: staffRef(entry.writtenBy),
    writtenAt: iso(entry.writtenAt),
    updatedAt: iso(entry.updatedAt),
    items: entry.items.map(toItem),
    residentSituations: entry.residentSituations,
    keysAndItems: entry.keysAndItems,
    notices: entry.notices,
    checklist: entry.checklist.map((answer) => ({ ...answer })),
    openComplaints: entry.openComplaints.map(toOpenComplaint),
    openComplaintsAt: iso(entry.openComplaintsAt),
    openComplaintsTruncated: entry.openComplaintsTruncated,
    signedBy: staffRef(entry.signedBy),
    signedAt: iso(entry.signedAt),
    signNote: entry.signNote,
    previousEntryId: entry.previousEntryId,
  };
}

function toDay(view: LedgerDayView): v1.LedgerDay {
  return {
    id: view.record._id,
    groupId: view.record.groupId,
    propertyId: view.record.propertyId,
    day: view.record.day,
    entries: view.entries.map(toEntry),
    entryCount: view.entryCount,
    signedCount: view.signedCount,
    reviewedBy: staffRef(view.record.reviewedBy),
    reviewedAt: iso(view.record.reviewedAt),
    reviewNote: view.record.reviewNote,
  };
}

type MonthView = Awaited<ReturnType<Ledger['month']>>;

function toMonth(view: MonthView): v1.LedgerMonth {
  return {
    id: view.id,
    groupId: view.groupId,
    propertyId: view.propertyId,
    month: view.month,
    days: view.days.map(toDay),
    archivedBy: staffRef(view.archivedBy),
    archivedAt: iso(view.archivedAt),
  };
}

@Controller()
@v1.HandoverServiceControllerMethods()
export class HandoverGrpcController implements v1.HandoverServiceController {
  constructor(
    private readonly book: HandoverBook,
    private readonly ledger: Ledger,
  ) {}

  async writeHandover(request: v1.WriteHandoverRequest): Promise<v1.WriteHandoverResponse> {
    const entry = await this.book.write({
      groupId: request.groupId,
      entryId: request.entryId,
      propertyId: request.propertyId,
      shiftName: request.shiftName,
      shiftStart: request.shiftStart,
      shiftEnd: request.shiftEnd,
      onShift: request.onShift.map((ref) => ({ id: ref.id, name: ref.name })),
      items: request.items.map((item) => ({ id: item.id, text: item.text, done: item.done, note: item.note })),
      residentSituations: request.residentSituations,
      keysAndItems: request.keysAndItems,
      notices: request.notices,
      checklist: request.checklist.map((answer) => ({ ...answer })),
      by: actor(request.by),
    });
    return { entry: toEntry(entry) };
  }

  async getHandover(request: v1.GetHandoverRequest): Promise<v1.GetHandoverResponse> {
    return { entry: toEntry(await this.book.get(request.groupId, request.entryId)) };
  }

  async signHandover(request: v1.SignHandoverRequest): Promise<v1.SignHandoverResponse> {
    return {
      entry: toEntry(await this.book.sign(request.groupId, request.entryId, actor(request.by), request.note)),
    };
  }

  async previewHandover(request: v1.PreviewHandoverRequest): Promise<v1.PreviewHandoverResponse> {
    const preview = await this.book.preview(request.groupId, request.propertyId);
    return {
      carried: preview.carried.map(toItem),
      openComplaints: preview.open.complaints.map(toOpenComplaint),
      openComplaintsTruncated: preview.open.truncated,
      previousEntryId: preview.previousEntryId,
    };
  }

  async getLedgerDay(request: v1.GetLedgerDayRequest): Promise<v1.GetLedgerDayResponse> {
    return { day: toDay(await this.ledger.day(request.groupId, request.propertyId, request.day)) };
  }

  async reviewLedgerDay(request: v1.ReviewLedgerDayRequest): Promise<v1.ReviewLedgerDayResponse> {
    const view = await this.ledger.review(
      request.groupId,
      request.propertyId,
      request.day,
      actor(request.by),
      request.note,
    );
    return { day: toDay(view) };
  }

  async getLedgerMonth(request: v1.GetLedgerMonthRequest): Promise<v1.GetLedgerMonthResponse> {
    return {
      month: toMonth(await this.ledger.month(request.groupId, request.propertyId, request.month, request.withEntries)),
    };
  }

  async archiveLedgerMonth(request: v1.ArchiveLedgerMonthRequest): Promise<v1.ArchiveLedgerMonthResponse> {
    return {
      month: toMonth(await this.ledger.archive(request.groupId, request.propertyId, request.month, actor(request.by))),
    };
  }
}
