import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { ManageDirectory } from '../../directory/use-cases/manage-directory';
import { HandoverRepository } from '../handover.repository';
import type {
  ChecklistAnswerRecord,
  HandoverEntryRecord,
  HandoverItemRecord,
  StaffRefRecord,
} from '../handover.schema';
import {
  checkChecklist,
  checkOnShift,
  checkShift,
  checkTexts,
  localDate,
  mergeItems,
  monthOf,
  shiftDay,
  unfinished,
  type ItemInput,
  type Problems,
} from '../handover-rules';
import { OpenComplaints } from '../open-complaints';
import { HandoverEvents, handoverSignedEvent, handoverWrittenEvent } from '../handover-events';

export interface WriteHandoverInput {
  groupId: string;
  /** Empty: a new entry. */
  entryId: string;
  propertyId: string;
  shiftName: string;
  shiftStart: string;
  shiftEnd: string;
  onShift: StaffRefRecord[];
  items: ItemInput[];
  residentSituations: string;
  keysAndItems: string;
  notices: string;
  checklist: ChecklistAnswerRecord[];
  by: StaffRefRecord;
}

const conflict = (message: string) => new DomainError('failed_precondition', message);

function invalid(problems: Problems): DomainError {
  return new DomainError(
    'invalid_argument',
    `invalid handover: ${Object.entries(problems)
      .map(([field, problem]) => `${field} ${problem}`)
      .join('; ')}`,
    problems,
  );
}

/**
 * The handover book (交接班本): the outgoing shift writes (and may correct until signed), the
 * incoming shift signs, and each entry starts with the previous one's unfinished follow-ups and
 * the property's open complaints. Entries of a property form one chain: a new one follows the
 * latest, which must have been signed (read by the incoming shift) first.
 */
@Injectable()
export class HandoverBook {
  constructor(
    private readonly repository: HandoverRepository,
    private readonly directory: ManageDirectory,
    private readonly openComplaints: OpenComplaints,
    private readonly events: HandoverEvents,
  ) {}

  private async timeZoneOf(groupId: string, propertyId: string): Promise<string> {
    const property = await this.directory.property(groupId, propertyId);
    if (!property) throw new NotFoundError(`property ${propertyId}`);
    return property.timeZone;
  }

  async get(groupId: string, entryId: string): Promise<HandoverEntryRecord> {
    const entry = await this.repository.entry(groupId, entryId);
    if (!entry) throw new NotFoundError(`handover ${entryId}`);
    return entry;
  }

  /** The property's latest entry, if any. */
  private async latest(groupId: string, propertyId: string) {
    const head = await this.repository.head(groupId, propertyId);
    const entry = head ? await this.repository.entry(groupId, head.entryId) : null;
    return { head, entry };
  }

  async preview(groupId: string, propertyId: string) {
    await this.timeZoneOf(groupId, propertyId);
    const { entry } = await this.latest(groupId, propertyId);
    const open = await this.openComplaints.of(groupId, propertyId);
    return { carried: entry ? unfinished(entry.items) : [], open, previousEntryId: entry?._id ?? '' };
  }

  /** Refuses changes to a day already reviewed or a month archived. */
  private async assertOpen(groupId: string, propertyId: string, day: string): Promise<void> {
    const month = await this.repository.month(groupId, propertyId, monthOf(day));
    if (month?.archivedAt) throw conflict(`the ledger of ${monthOf(day)} is archived: it can no longer change`);
    const ledgerDay = await this.repository.day(groupId, propertyId, day);
    if (ledgerDay?.reviewedAt) throw conflict(`the ledger of ${day} is reviewed: it can no longer change`);
  }

  async write(input: WriteHandoverInput, now = new Date()): Promise<HandoverEntryRecord> {
    const existing = input.entryId ? await this.get(input.groupId, input.entryId) : null;
    if (existing?.signedAt) {
      throw conflict(`handover ${existing._id} was signed by ${existing.signedBy?.name ?? ''}: it is read-only`);
    }
    const propertyId = existing?.propertyId ?? input.propertyId;
    const problems: Problems = {};
    if (existing && input.propertyId && input.propertyId !== existing.propertyId) {
      problems.propertyId = 'an entry stays at its property';
    }
    const timeZone = await this.timeZoneOf(input.groupId, propertyId);
    const start = new Date(input.shiftStart);
    const end = new Date(input.shiftEnd);
    checkShift(start, end, problems);
    const day = problems['shift.start'] ? '' : shiftDay(start, timeZone);
    if (existing && day && day !== existing.day) {
      problems['shift.start'] = `an entry stays on its day (${existing.day}): write a new one for another day`;
    }
    const latest = existing ? null : await this.latest(input.groupId, propertyId);
    const previous = latest?.entry ?? null;
    if (latest?.head && !problems['shift.start'] && start <= latest.head.shiftStart) {
      problems['shift.start'] =
        `must be after the start of the latest handover (${latest.head.shiftStart.toISOString()})`;
    }

    const entryId = existing?._id ?? `ho-${randomUUID()}`;
    const current: HandoverItemRecord[] = existing ? existing.items : previous ? unfinished(previous.items) : [];
    const items = mergeItems(
      current,
      input.items,
      { entryId, day, by: input.by, now, newId: () => `fu-${randomUUID()}` },
      problems,
    );
    const checklist = checkChecklist(input.checklist, problems);
    checkOnShift(input.onShift, problems);
    checkTexts(
      { residentSituations: input.residentSituations, keysAndItems: input.keysAndItems, notices: input.notices },
      problems,
    );
    if (input.shiftName.length > 50) problems['shift.name'] = 'at most 50 characters';
    // What is wrong with the entry itself first; then whether the book takes it now.
    if (Object.keys(problems).length > 0) throw invalid(problems);
    await this.assertOpen(input.groupId, propertyId, day);
    if (previous && !previous.signedAt) {
      throw conflict(
        `the previous handover ${previous._id} (${previous.day} ${previous.shiftName}) is not signed yet: the incoming shift reads and signs it first`,
      );
    }

    const open = await this.openComplaints.of(input.groupId, propertyId);
    const entry: HandoverEntryRecord = {
      _id: entryId,
      groupId: input.groupId,
      propertyId,
      day,
      shiftName: input.shiftName.trim(),
      shiftStart: start,
      shiftEnd: end,
      onShift: input.onShift,
      writtenBy: existing?.writtenBy ?? input.by,
      writtenAt: existing?.writtenAt ?? now,
      updatedAt: now,
      items,
      residentSituations: input.residentSituations.trim(),
      keysAndItems: input.keysAndItems.trim(),
      notices: input.notices.trim(),
      checklist,
      openComplaints: open.complaints,
      openComplaintsAt: now,
      openComplaintsTruncated: open.truncated,
      signedBy: null,
      signedAt: null,
      signNote: '',
      previousEntryId: existing?.previousEntryId ?? previous?._id ?? '',
      eventIds: existing?.eventIds ?? [],
    };
    const event = handoverWrittenEvent(entry, input.by, existing !== null);
    entry.eventIds = [...entry.eventIds, event.eventId];
    if (existing) {
      await this.events.pending(event);
      if (!(await this.repository.replaceUnsigned(entry, event.eventId))) {
        await this.events.withdraw(event);
        throw conflict(`handover ${entryId} was signed meanwhile: it is read-only`);
      }
      // A corrected start moves the property's latest start with it (when this is the latest).
      await this.repository.correctHead(input.groupId, propertyId, { entryId, shiftStart: start });
      await this.events.publish(event);
      return entry;
    }
    const previousId = latest?.head?.entryId ?? null;
    const claimed = await this.repository.claimSuccessor(input.groupId, propertyId, previousId, {
      entryId,
      shiftStart: start,
    });
    if (!claimed) throw conflict('another handover of this property was written meanwhile: read it and write again');
    try {
      await this.events.pending(event);
      await this.repository.insertEntry(entry);
    } catch (error) {
      await this.repository.releaseSuccessor(input.groupId, propertyId, previousId);
      // Its event stays pending: the relay publishes it if the entry was stored after all, and
      // drops it otherwise.
      throw error;
    }
    await this.repository.setHead(input.groupId, propertyId, { entryId, shiftStart: start });
    await this.repository.file(input.groupId, propertyId, day, entryId);
    await this.events.publish(event);
    return entry;
  }

  async sign(groupId: string, entryId: string, by: StaffRefRecord, note: string, now = new Date()) {
    const entry = await this.get(groupId, entryId);
    if (entry.signedAt) {
      throw conflict(
        `handover ${entryId} was already signed by ${entry.signedBy?.name ?? ''} at ${entry.signedAt.toISOString()}`,
      );
    }
    if (entry.onShift.some((staff) => staff.id === by.id)) {
      throw new DomainError(
        'permission_denied',
        'the outgoing shift cannot sign its own handover: a member of the incoming shift signs it',
      );
    }
    if (note.trim().length > 1000) {
      throw new DomainError('invalid_argument', 'invalid signature: note at most 1000 characters', {
        note: 'at most 1000 characters',
      });
    }
    await this.assertOpen(groupId, entry.propertyId, entry.day);
    // The incoming shift takes over the complaints open now, not those open when it was written.
    const open = await this.openComplaints.of(groupId, entry.propertyId);
    const signed = {
      signedBy: by,
      signedAt: now,
      signNote: note.trim(),
      openComplaints: open.complaints,
      openComplaintsAt: now,
      openComplaintsTruncated: open.truncated,
    };
    const event = handoverSignedEvent(entry, by, signed.signNote, now, await this.dayAfterSigning(entry, now));
    const claim = `${entryId}:signed`;
    if (!(await this.repository.claimOnce(groupId, claim))) {
      throw conflict(`handover ${entryId} was signed by someone else meanwhile`);
    }
    await this.events.pending(event);
    if (!(await this.repository.sign(entryId, signed, event.eventId))) {
      await this.events.withdraw(event);
      await this.repository.releaseClaim(claim);
      throw conflict(`handover ${entryId} was signed by someone else meanwhile`);
    }
    // Idempotent: puts the entry on its day even if its writer stopped right before doing so.
    await this.repository.file(groupId, entry.propertyId, entry.day, entryId);
    await this.events.publish(event);
    return { ...entry, ...signed, eventIds: [...entry.eventIds, event.eventId] };
  }

  /**
   * The entry's day once it is signed: its entries and how many are signed, and whether it is
   * ready for review: every entry signed and the day over, by the time of the signature or by the
   * end of the shift (the night shift's entry is the day's last; a desk closed at night has its
   * last entry signed the next morning). A handover written later for a day already over is rare
   * (entries follow one another); its signature says the day is ready again.
   */
  private async dayAfterSigning(entry: HandoverEntryRecord, now: Date) {
    const timeZone = await this.timeZoneOf(entry.groupId, entry.propertyId);
    const ledgerDay = await this.repository.day(entry.groupId, entry.propertyId, entry.day);
    const others = (ledgerDay?.entryIds ?? []).filter((id) => id !== entry._id);
    const stored = await this.repository.entriesById(entry.groupId, others);
    const signed = stored.filter((other) => other.signedAt).length + 1;
    const entries = others.length + 1;
    const lastMoment = new Date(Math.max(now.getTime(), entry.shiftEnd.getTime()));
    const over = localDate(lastMoment, timeZone) > entry.day;
    return { entries, signed, readyForReview: signed === entries && over };
  }
}
