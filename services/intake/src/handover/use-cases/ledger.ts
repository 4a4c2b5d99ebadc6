import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { ManageDirectory } from '../../directory/use-cases/manage-directory';
import { HandoverRepository } from '../handover.repository';
import {
  dayKey,
  monthKey,
  type HandoverEntryRecord,
  type LedgerDayRecord,
  type StaffRefRecord,
} from '../handover.schema';
import { isDay, isMonth, monthIsPast, monthOf } from '../handover-rules';
import { HandoverEvents, ledgerDayReviewedEvent, ledgerMonthArchivedEvent } from '../handover-events';

export interface LedgerDayView {
  record: LedgerDayRecord;
  entries: HandoverEntryRecord[];
  entryCount: number;
  signedCount: number;
}

const conflict = (message: string) => new DomainError('failed_precondition', message);

const byShift = (a: HandoverEntryRecord, b: HandoverEntryRecord) => a.shiftStart.getTime() - b.shiftStart.getTime();

/**
 * The work ledger (工作台帐): a property's handovers of a day, reviewed and signed by a supervisor
 * once every one of them is signed; a month is archived (台帐封面) once it is over and every day
 * of it reviewed, and nothing of it changes from then on.
 */
@Injectable()
export class Ledger {
  constructor(
    private readonly repository: HandoverRepository,
    private readonly directory: ManageDirectory,
    private readonly events: HandoverEvents,
  ) {}

  private async timeZoneOf(groupId: string, propertyId: string): Promise<string> {
    const property = await this.directory.property(groupId, propertyId);
    if (!property) throw new NotFoundError(`property ${propertyId}`);
    return property.timeZone;
  }

  private emptyDay(groupId: string, propertyId: string, day: string): LedgerDayRecord {
    return {
      _id: dayKey(groupId, propertyId, day),
      groupId,
      propertyId,
      day,
      entryIds: [],
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: '',
      eventIds: [],
    };
  }

  async day(groupId: string, propertyId: string, day: string): Promise<LedgerDayView> {
    if (!isDay(day))
      throw new DomainError('invalid_argument', 'invalid day: YYYY-MM-DD', { day: 'must be YYYY-MM-DD' });
    await this.timeZoneOf(groupId, propertyId);
    const record = (await this.repository.day(groupId, propertyId, day)) ?? this.emptyDay(groupId, propertyId, day);
    const entries = (await this.repository.entriesById(groupId, record.entryIds)).sort(byShift);
    return {
      record,
      entries,
      entryCount: entries.length,
      signedCount: entries.filter((entry) => entry.signedAt).length,
    };
  }

  async review(groupId: string, propertyId: string, day: string, by: StaffRefRecord, note: string, now = new Date()) {
    if (note.trim().length > 1000) {
      throw new DomainError('invalid_argument', 'invalid review: note at most 1000 characters', {
        note: 'at most 1000 characters',
      });
    }
    const view = await this.day(groupId, propertyId, day);
    const month = await this.repository.month(groupId, propertyId, monthOf(day));
    if (month?.archivedAt) throw conflict(`the ledger of ${monthOf(day)} is archived`);
    if (view.record.reviewedAt) {
      throw conflict(
        `the ledger of ${day} was already reviewed by ${view.record.reviewedBy?.name ?? ''} at ${view.record.reviewedAt.toISOString()}`,
      );
    }
    if (view.entries.length === 0) throw conflict(`there are no handovers on ${day} to review`);
    const unsigned = view.entries.filter((entry) => !entry.signedAt);
    if (unsigned.length > 0) {
      throw conflict(
        `every handover of the day must be signed by its incoming shift first; not yet: ${unsigned
          .map((entry) => `${entry._id} (${entry.shiftName || entry.shiftStart.toISOString()})`)
          .join(', ')}`,
      );
    }
    const review = { by, at: now, note: note.trim() };
    const event = ledgerDayReviewedEvent(groupId, propertyId, day, view.record.entryIds, review);
    const claim = `${view.record._id}:reviewed`;
    if (!(await this.repository.claimOnce(groupId, claim))) {
      throw conflict(`the ledger of ${day} was reviewed by someone else meanwhile`);
    }
    await this.events.pending(event);
    if (!(await this.repository.review(groupId, propertyId, day, view.record.entryIds, review, event.eventId))) {
      await this.events.withdraw(event);
      await this.repository.releaseClaim(claim);
      throw conflict(`the ledger of ${day} changed meanwhile: read it and review again`);
    }
    await this.events.publish(event);
    return {
      ...view,
      record: { ...view.record, reviewedBy: review.by, reviewedAt: review.at, reviewNote: review.note },
    };
  }

  async month(groupId: string, propertyId: string, month: string, withEntries: boolean) {
    if (!isMonth(month))
      throw new DomainError('invalid_argument', 'invalid month: YYYY-MM', { month: 'must be YYYY-MM' });
    await this.timeZoneOf(groupId, propertyId);
    const record = await this.repository.month(groupId, propertyId, month);
    const days = await this.repository.daysOf(groupId, propertyId, record?.days ?? []);
    const views: LedgerDayView[] = [];
    for (const day of days) {
      const entries = withEntries ? (await this.repository.entriesById(groupId, day.entryIds)).sort(byShift) : [];
      views.push({
        record: day,
        entries,
        entryCount: day.entryIds.length,
        signedCount: withEntries ? entries.filter((entry) => entry.signedAt).length : 0,
      });
    }
    return {
      id: monthKey(groupId, propertyId, month),
      groupId,
      propertyId,
      month,
      storedDays: record?.days ?? [],
      days: views,
      archivedBy: record?.archivedBy ?? null,
      archivedAt: record?.archivedAt ?? null,
    };
  }

  async archive(groupId: string, propertyId: string, month: string, by: StaffRefRecord, now = new Date()) {
    const view = await this.month(groupId, propertyId, month, false);
    const timeZone = await this.timeZoneOf(groupId, propertyId);
    if (view.archivedAt) {
      throw conflict(`the ledger of ${month} was already archived by ${view.archivedBy?.name ?? ''}`);
    }
    if (!monthIsPast(month, now, timeZone)) throw conflict(`the ledger of ${month} is archived after the month ends`);
    if (view.days.length === 0) throw conflict(`there are no handovers in ${month} to archive`);
    const unreviewed = view.days.filter((day) => !day.record.reviewedAt).map((day) => day.record.day);
    if (unreviewed.length > 0) {
      throw conflict(`every day of the month must be reviewed first; not yet: ${unreviewed.join(', ')}`);
    }
    const archive = { by, at: now };
    const event = ledgerMonthArchivedEvent(groupId, propertyId, month, view.storedDays, archive);
    const claim = `${view.id}:archived`;
    if (!(await this.repository.claimOnce(groupId, claim))) {
      throw conflict(`the ledger of ${month} was archived by someone else meanwhile`);
    }
    await this.events.pending(event);
    if (!(await this.repository.archive(groupId, propertyId, month, view.storedDays, archive, event.eventId))) {
      await this.events.withdraw(event);
      await this.repository.releaseClaim(claim);
      throw conflict(`the ledger of ${month} changed meanwhile: read it and archive again`);
    }
    await this.events.publish(event);
    return { ...view, archivedBy: archive.by, archivedAt: archive.at };
  }
}
