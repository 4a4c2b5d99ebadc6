import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';
import {
  dayKey,
  HandoverClaimRecord,
  headKey,
  HandoverEntryRecord,
  HandoverHeadRecord,
  LedgerDayRecord,
  LedgerMonthRecord,
  monthKey,
  type StaffRefRecord,
} from './handover.schema';

/** A claimed action not written after this long belongs to a request that died (the gateway gives up after 5 s). */
export const CLAIM_STALE_MS = 60_000;

/** Entries, days, months and heads, each read by `_id` and checked for the group here. */
@Injectable()
export class HandoverRepository {
  constructor(
    @InjectModel(HandoverEntryRecord.name) private readonly entries: Model<HandoverEntryRecord>,
    @InjectModel(LedgerDayRecord.name) private readonly days: Model<LedgerDayRecord>,
    @InjectModel(LedgerMonthRecord.name) private readonly months: Model<LedgerMonthRecord>,
    @InjectModel(HandoverHeadRecord.name) private readonly heads: Model<HandoverHeadRecord>,
    @InjectModel(HandoverClaimRecord.name) private readonly claims: Model<HandoverClaimRecord>,
  ) {}

  /**
   * Claims a once-only action (`<record id>:<action>`) for this request; false when another
   * holds it. A claim older than CLAIM_STALE_MS whose action was never written (its request
   * died in between) is taken over, so a record never stays locked.
   */
  async claimOnce(groupId: string, key: string): Promise<boolean> {
    // Wall-clock time: how long a request has held it, whatever time the action is recorded at.
    const now = new Date();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.claims.create({ _id: key, groupId, at: now });
        return true;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const held = await this.claims.findById(key).lean<HandoverClaimRecord>();
      if (!held || now.getTime() - new Date(held.at).getTime() < CLAIM_STALE_MS) return false;
      // Two takers may both delete it; only one of them inserts the claim again.
      await this.claims.deleteOne({ _id: key, at: held.at });
    }
    return false;
  }

  /** Gives a claim back when its write did not happen (refused, or failed). */
  async releaseClaim(key: string): Promise<void> {
    await this.claims.deleteOne({ _id: key });
  }

  async entry(groupId: string, id: string): Promise<HandoverEntryRecord | null> {
    const found = await this.entries.findById(id).lean<HandoverEntryRecord>();
    return found?.groupId === groupId ? found : null;
  }

  /** The entries by id, in the order asked; missing ones left out. */
  async entriesById(groupId: string, ids: readonly string[]): Promise<HandoverEntryRecord[]> {
    if (ids.length === 0) return [];
    const found = await this.entries.find({ _id: { $in: ids } }).lean<HandoverEntryRecord[]>();
    const byId = new Map(found.filter((entry) => entry.groupId === groupId).map((entry) => [entry._id, entry]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async insertEntry(entry: HandoverEntryRecord): Promise<void> {
    await this.entries.create(entry);
  }

  /** Replaces an entry not yet signed, naming the event that announces it; false when it was signed meanwhile. */
  async replaceUnsigned(entry: HandoverEntryRecord, eventId: string): Promise<boolean> {
    // The signature is not this write's to set: a signature stored meanwhile stays.
    const { _id, eventIds: _eventIds, signedBy: _by, signedAt: _at, signNote: _note, ...rest } = entry;
    const result = await this.entries.updateOne(
      { _id, signedAt: null },
      // Added rather than set: a correction written at the same moment keeps its event's id.
      { $set: rest, $addToSet: { eventIds: eventId } },
    );
    return result.matchedCount === 1;
  }

  /** Signs an entry not yet signed, naming the event that announces it; false when someone signed first. */
  async sign(
    id: string,
    fields: Pick<
      HandoverEntryRecord,
      'signedBy' | 'signedAt' | 'signNote' | 'openComplaints' | 'openComplaintsAt' | 'openComplaintsTruncated'
    >,
    eventId: string,
  ): Promise<boolean> {
    const result = await this.entries.updateOne(
      { _id: id, signedAt: null },
      { $set: fields, $addToSet: { eventIds: eventId } },
    );
    return result.matchedCount === 1;
  }

  async head(groupId: string, propertyId: string): Promise<HandoverHeadRecord | null> {
    return this.heads.findById(headKey(groupId, propertyId)).lean<HandoverHeadRecord>();
  }

  /**
   * Claims the place after `previous` (none: the property's first entry) for `entryId`; false
   * when another entry took it first, so two desks writing at once cannot both carry the same
   * follow-ups on. The claim is an insert under a unique `_id`
   * (`<group>:<property>:after:<previous>`): atomic on every store, where a conditional update
   * is not (FerretDB).
   */
  async claimSuccessor(
    groupId: string,
    propertyId: string,
    previous: string | null,
    next: { entryId: string; shiftStart: Date },
  ): Promise<boolean> {
    const _id = headKey(groupId, propertyId);
    try {
      await this.heads.create({ _id: `${_id}:after:${previous ?? ''}`, groupId, ...next });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Points the property's latest entry at one stored after claiming its place. */
  async setHead(groupId: string, propertyId: string, next: { entryId: string; shiftStart: Date }): Promise<void> {
    await this.heads.updateOne({ _id: headKey(groupId, propertyId) }, { $set: { groupId, ...next } }, { upsert: true });
  }

  /** A corrected start of the latest entry moves the latest start with it. */
  async correctHead(groupId: string, propertyId: string, next: { entryId: string; shiftStart: Date }): Promise<void> {
    await this.heads.updateOne({ _id: headKey(groupId, propertyId), entryId: next.entryId }, { $set: next });
  }

  /** Gives the successor slot of `previous` back (the entry that claimed it was not stored). */
  async releaseSuccessor(groupId: string, propertyId: string, previous: string | null): Promise<void> {
    await this.heads.deleteOne({ _id: `${headKey(groupId, propertyId)}:after:${previous ?? ''}` });
  }

  async day(groupId: string, propertyId: string, day: string): Promise<LedgerDayRecord | null> {
    return this.days.findById(dayKey(groupId, propertyId, day)).lean<LedgerDayRecord>();
  }

  /** Puts an entry on its day and the day on its month (both idempotent). */
  async file(groupId: string, propertyId: string, day: string, entryId: string): Promise<void> {
    await this.days.updateOne(
      { _id: dayKey(groupId, propertyId, day) },
      { $setOnInsert: { groupId, propertyId, day }, $addToSet: { entryIds: entryId } },
      { upsert: true },
    );
    const month = day.slice(0, 7);
    await this.months.updateOne(
      { _id: monthKey(groupId, propertyId, month) },
      { $setOnInsert: { groupId, propertyId, month }, $addToSet: { days: day } },
      { upsert: true },
    );
  }

  /** Records the review if the day still holds exactly these entries (as stored) and nobody reviewed it. */
  async review(
    groupId: string,
    propertyId: string,
    day: string,
    entryIds: readonly string[],
    review: { by: StaffRefRecord; at: Date; note: string },
    eventId: string,
  ): Promise<boolean> {
    const result = await this.days.updateOne(
      { _id: dayKey(groupId, propertyId, day), reviewedAt: null, entryIds: [...entryIds] },
      {
        $set: { reviewedBy: review.by, reviewedAt: review.at, reviewNote: review.note },
        $addToSet: { eventIds: eventId },
      },
    );
    return result.matchedCount === 1;
  }

  /**
   * Whether the record a handover event is keyed by (an entry, a ledger day or month: the
   * envelope's complaintId) names the event: its change was stored. One read by `_id`.
   */
  async namesEvent(groupId: string, recordId: string, type: string, eventId: string): Promise<boolean> {
    type Stamp = { groupId: string; eventIds?: string[] };
    const projection = { groupId: 1, eventIds: 1 };
    const found =
      type === 'ledger_day_reviewed'
        ? await this.days.findById(recordId, projection).lean<Stamp>()
        : type === 'ledger_month_archived'
          ? await this.months.findById(recordId, projection).lean<Stamp>()
          : await this.entries.findById(recordId, projection).lean<Stamp>();
    return found?.groupId === groupId && (found.eventIds ?? []).includes(eventId);
  }

  async month(groupId: string, propertyId: string, month: string): Promise<LedgerMonthRecord | null> {
    return this.months.findById(monthKey(groupId, propertyId, month)).lean<LedgerMonthRecord>();
  }

  async daysOf(groupId: string, propertyId: string, days: readonly string[]): Promise<LedgerDayRecord[]> {
    if (days.length === 0) return [];
    const ids = days.map((day) => dayKey(groupId, propertyId, day));
    const found = await this.days.find({ _id: { $in: ids } }).lean<LedgerDayRecord[]>();
    return found.sort((a, b) => a.day.localeCompare(b.day));
  }

  async archive(
    groupId: string,
    propertyId: string,
    month: string,
    days: readonly string[],
    archive: { by: StaffRefRecord; at: Date },
    eventId: string,
  ): Promise<boolean> {
    const result = await this.months.updateOne(
      { _id: monthKey(groupId, propertyId, month), archivedAt: null, days: [...days] },
      { $set: { archivedBy: archive.by, archivedAt: archive.at }, $addToSet: { eventIds: eventId } },
    );
    return result.matchedCount === 1;
  }
}
