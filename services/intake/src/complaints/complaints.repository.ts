import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { mongo, type FilterQuery, type Model } from 'mongoose';
import type { Status } from '@complaints/domain';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { ComplaintRecord, NumberClaim, NumberCounter, type PendingEvent, type SealedRecord } from './complaint.schema';

/** Statuses after which nothing more happens to a complaint. */
export const FINAL_STATUSES: readonly Status[] = ['closed', 'withdrawn', 'merged'];

export interface ComplaintFilter {
  propertyScope: string[];
  regionScope: string[];
  /** Set: confidential complaints only where this staff is named or this actor registered them. */
  confidentialViewer?: { staffId: string; actorId: string };
  propertyIds: string[];
  regionIds: string[];
  statuses: string[];
  severities: string[];
  categories: string[];
  channels: string[];
  receivedFrom?: Date;
  receivedTo?: Date;
  overdueOnly: boolean;
}

export interface PageCursor {
  receivedAt: Date;
  id: string;
}

/** A complaint stored before personal data was sealed (see MaintainPersonalData.sealPass). */
export interface LegacyComplaint {
  _id: string;
  groupId: string;
  complainant: { name?: string; contact: string; unit?: string };
}

/** Where such a record keeps the complainant in the clear. */
const PLAINTEXT_FIELDS = { 'complainant.name': 1, 'complainant.contact': 1, 'complainant.unit': 1 } as const;

/** Every read and write names the group: a query without tenancy does not compile. */
@Injectable()
export class ComplaintsRepository {
  /** Staff actions and the events consumer may change one complaint at once. */
  private readonly writes = new PerKeyQueue();

  constructor(
    @InjectModel(ComplaintRecord.name) private readonly complaints: Model<ComplaintRecord>,
    @InjectModel(NumberCounter.name) private readonly counters: Model<NumberCounter>,
    @InjectModel(NumberClaim.name) private readonly claims: Model<NumberClaim>,
  ) {}

  /**
   * Takes the next number of a counter; concurrent callers never get the same one.
   * The unique `_id` of a claim decides who gets a number, because a unique index is the one
   * guarantee that holds on MongoDB and on FerretDB alike (FerretDB's `findAndModify` with
   * `$inc` is not atomic). The counter only remembers where to start looking.
   */
  async nextSequence(counterId: string): Promise<number> {
    let candidate = ((await this.counters.findById(counterId).lean())?.seq ?? 0) + 1;
    for (;;) {
      try {
        await this.claims.create({ _id: `${counterId}:${candidate}`, counterId, seq: candidate });
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        candidate++;
      }
    }
    try {
      await this.counters.updateOne({ _id: counterId }, { $max: { seq: candidate } }, { upsert: true });
    } catch (error) {
      // Another first-of-the-day claim created the counter at the same moment; the hint is only a hint.
      if (!isDuplicateKeyError(error)) throw error;
    }
    return candidate;
  }

  /** Inserts; resolves `duplicate` when the group already has a complaint with this idempotency key. */
  async insert(complaint: ComplaintRecord): Promise<'inserted' | 'duplicate'> {
    try {
      await this.complaints.create(complaint);
      return 'inserted';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
  }

  async findById(groupId: string, id: string): Promise<ComplaintRecord | null> {
    return this.complaints.findOne({ _id: id, groupId }).lean<ComplaintRecord>();
  }

  async findByIdempotencyKey(groupId: string, idempotencyKey: string): Promise<ComplaintRecord | null> {
    return this.complaints.findOne({ groupId, idempotencyKey }).lean<ComplaintRecord>();
  }

  /** Newest received first; `cursor` continues after the last complaint of the previous page. */
  async list(groupId: string, filter: ComplaintFilter, limit: number, cursor?: PageCursor): Promise<ComplaintRecord[]> {
    const and: FilterQuery<ComplaintRecord>[] = [{ groupId }];
    const anyOf = (field: keyof ComplaintRecord, values: string[]) => {
      if (values.length > 0) and.push({ [field]: { $in: values } });
    };
    anyOf('propertyId', filter.propertyScope);
    anyOf('regionId', filter.regionScope);
    if (filter.confidentialViewer) {
      const { staffId, actorId } = filter.confidentialViewer;
      and.push({
        $or: [
          { confidential: { $ne: true } },
          ...(staffId ? [{ confidentialStaffIds: staffId }] : []),
          ...(actorId ? [{ 'registeredBy.id': actorId, 'registeredBy.kind': 'partner' }] : []),
        ],
      });
    }
    anyOf('propertyId', filter.propertyIds);
    anyOf('regionId', filter.regionIds);
    anyOf('status', filter.statuses);
    anyOf('severity', filter.severities);
    anyOf('category', filter.categories);
    anyOf('channel', filter.channels);
    if (filter.receivedFrom) and.push({ receivedAt: { $gte: filter.receivedFrom } });
    if (filter.receivedTo) and.push({ receivedAt: { $lt: filter.receivedTo } });
    if (filter.overdueOnly) and.push({ overdue: true });
    if (cursor) {
      and.push({
        $or: [{ receivedAt: { $lt: cursor.receivedAt } }, { receivedAt: cursor.receivedAt, _id: { $lt: cursor.id } }],
      });
    }
    return this.complaints
      .find({ $and: and }, { outbox: 0 })
      .sort({ receivedAt: -1, _id: -1 })
      .limit(limit)
      .lean<ComplaintRecord[]>();
  }

  /** Complaints holding events not yet confirmed on the stream, oldest first. */
  async withPendingEvents(olderThan: Date, limit: number): Promise<ComplaintRecord[]> {
    const complaints = await this.complaints
      .find({ 'outbox.eventId': { $exists: true }, createdAt: { $lt: olderThan } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<ComplaintRecord[]>();
    // Stored bytes come back as BSON Binary; the protobuf decoder wants a Buffer.
    return complaints.map((complaint) => ({
      ...complaint,
      outbox: complaint.outbox.map((pending) => ({ ...pending, envelope: bytesOf(pending.envelope) })),
    }));
  }

  /**
   * Empties the outbox once its `count` events are on the stream. An event appended meanwhile
   * changes the size, so nothing is cleared and the relay publishes again (event ids are stable:
   * consumers and JetStream drop the repeats). `$pull` by a field of the element is not
   * supported by FerretDB v1, so the whole array is cleared instead.
   */
  async clearOutbox(groupId: string, id: string, count: number): Promise<void> {
    return this.writes.run(id, async () => {
      await this.complaints.updateOne({ _id: id, groupId, outbox: { $size: count } }, { $set: { outbox: [] } });
    });
  }

  /**
   * Changes an open complaint and queues its event in the same single-document write.
   * Resolves the new outbox size, or undefined when the complaint is missing or already final.
   */
  async changeOpenComplaint(
    groupId: string,
    id: string,
    change: Partial<Pick<ComplaintRecord, 'status' | 'closedAt'>>,
    event: PendingEvent,
  ): Promise<number | undefined> {
    return this.writes.run(id, async () => {
      // updateOne, not findOneAndUpdate: FerretDB v1 on SQLite runs findAndModify as a read and a
      // separate write, so a status set by the events consumer in between was lost (seen in CI).
      const { matchedCount } = await this.complaints.updateOne(
        { _id: id, groupId, status: { $nin: FINAL_STATUSES } },
        { $set: change, $push: { outbox: event } },
      );
      if (matchedCount === 0) return undefined;
      return this.outboxLength(groupId, id);
    });
  }

  /** Routing's decision; the status moves on only from `registered`. */
  async applyRouting(
    groupId: string,
    id: string,
    routing: Pick<ComplaintRecord, 'category' | 'severity' | 'department'>,
  ): Promise<void> {
    return this.writes.run(id, async () => {
      await this.complaints.updateOne({ _id: id, groupId }, { $set: routing });
      await this.complaints.updateOne({ _id: id, groupId, status: 'registered' }, { $set: { status: 'assigned' } });
    });
  }

  async setAttachmentCount(groupId: string, id: string, count: number): Promise<void> {
    return this.writes.run(id, async () => {
      await this.complaints.updateOne({ _id: id, groupId }, { $set: { attachmentCount: count } });
    });
  }

  /** Handled as part of another complaint from now on (duplicate or collective member). */
  async markMerged(groupId: string, id: string): Promise<void> {
    return this.writes.run(id, async () => {
      await this.complaints.updateOne(
        { _id: id, groupId, status: { $nin: FINAL_STATUSES } },
        { $set: { status: 'merged' } },
      );
    });
  }

  /** The status escalation's workflow reports; withdrawn and closed records stay as they are. */
  async applyLifecycleStatus(groupId: string, id: string, status: string, at: Date): Promise<void> {
    return this.writes.run(id, async () => {
      await this.complaints.updateOne(
        {
          _id: id,
          groupId,
          status: { $nin: ['withdrawn', 'closed'] },
          $or: [{ lifecycleAt: null }, { lifecycleAt: { $lte: at } }],
        },
        // The retention period of personal data counts from the close.
        { $set: { status, lifecycleAt: at, ...(status === 'closed' ? { closedAt: at } : {}) } },
      );
    });
  }

  // ---- personal data (see ../personal-data): every write below is conditional, so running a pass
  // on several replicas at once, or twice, changes each record once.

  /** The complaints of one complainant, found by the blind index of the contact. */
  async idsByComplainantKey(groupId: string, key: string): Promise<string[]> {
    const found = await this.complaints
      .find({ groupId, 'complainant.key': key }, { _id: 1 })
      .sort({ receivedAt: 1 })
      .limit(10_000)
      .lean<Pick<ComplaintRecord, '_id'>[]>();
    return found.map((complaint) => complaint._id);
  }

  /** Records sealed with another key than `currentKeyId`, for the re-encryption pass. */
  async sealedWithOtherKey(
    currentKeyId: string,
    limit: number,
  ): Promise<Pick<ComplaintRecord, '_id' | 'groupId' | 'complainant'>[]> {
    return this.complaints
      .find(
        { 'complainant.sealed.keyId': { $exists: true, $ne: currentKeyId } },
        { _id: 1, groupId: 1, complainant: 1 },
      )
      .limit(limit)
      .lean<Pick<ComplaintRecord, '_id' | 'groupId' | 'complainant'>[]>();
  }

  /** Records written before personal data was sealed: name, contact and unit in the clear. */
  async withPlaintextComplainant(limit: number): Promise<LegacyComplaint[]> {
    return this.complaints
      .find({ 'complainant.contact': { $exists: true } }, { _id: 1, groupId: 1, complainant: 1 })
      .limit(limit)
      .lean<LegacyComplaint[]>();
  }

  /** Seals a record's clear complainant, if it is still the one read. */
  async sealPlaintext(record: LegacyComplaint, sealed: SealedRecord, key: string): Promise<boolean> {
    return this.writes.run(record._id, async () => {
      const { modifiedCount } = await this.complaints.updateOne(
        { _id: record._id, groupId: record.groupId, 'complainant.contact': record.complainant.contact },
        {
          $set: { 'complainant.sealed': sealed, 'complainant.key': key, 'complainant.erasedAt': null },
          $unset: PLAINTEXT_FIELDS,
        },
        // The clear fields are no longer in the schema: without this mongoose drops the $unset.
        { strict: false },
      );
      return modifiedCount === 1;
    });
  }

  /** Replaces the sealed value only if it is still the one read (not erased or re-sealed meanwhile). */
  async replaceSealed(groupId: string, id: string, before: SealedRecord, after: SealedRecord): Promise<boolean> {
    return this.writes.run(id, async () => {
      const { modifiedCount } = await this.complaints.updateOne(
        { _id: id, groupId, 'complainant.sealed.keyId': before.keyId, 'complainant.sealed.iv': before.iv },
        { $set: { 'complainant.sealed': after } },
      );
      return modifiedCount === 1;
    });
  }

  /** Closed or withdrawn before `cutoff`, personal data still held: due for the retention erasure. */
  async dueForRetention(cutoff: Date, limit: number): Promise<Pick<ComplaintRecord, '_id' | 'groupId'>[]> {
    return this.complaints
      .find(
        {
          status: { $in: ['closed', 'withdrawn'] },
          'complainant.erasedAt': null,
          // Records closed before closedAt was kept count from their last change.
          $or: [{ closedAt: { $lt: cutoff } }, { closedAt: null, updatedAt: { $lt: cutoff } }],
        },
        { _id: 1, groupId: 1 },
      )
      .limit(limit)
      .lean<Pick<ComplaintRecord, '_id' | 'groupId'>[]>();
  }

  /**
   * Erases the complainant's personal data (sealed value, blind index, and the request hash, which
   * was computed over a body holding it) and queues the event in the same single-document write.
   * Resolves the new outbox size, or undefined when it was erased already.
   */
  async erasePersonalData(groupId: string, id: string, at: Date, event: PendingEvent): Promise<number | undefined> {
    return this.writes.run(id, async () => {
      const { modifiedCount } = await this.complaints.updateOne(
        { _id: id, groupId, 'complainant.erasedAt': null },
        {
          $set: { 'complainant.sealed': null, 'complainant.key': '', 'complainant.erasedAt': at, requestHash: '' },
          // A record from before sealing may still hold them in the clear.
          $unset: PLAINTEXT_FIELDS,
          $push: { outbox: event },
        },
        { strict: false },
      );
      if (modifiedCount === 0) return undefined;
      return this.outboxLength(groupId, id);
    });
  }

  /** Read right after a write that queued an event: what clearOutbox must find to clear it. */
  private async outboxLength(groupId: string, id: string): Promise<number> {
    const updated = await this.complaints
      .findOne({ _id: id, groupId }, { outbox: 1 })
      .lean<Pick<ComplaintRecord, 'outbox'>>();
    return updated?.outbox.length ?? 0;
  }

  async markOverdue(groupId: string, id: string): Promise<void> {
    return this.writes.run(id, async () => {
      await this.complaints.updateOne({ _id: id, groupId }, { $set: { overdue: true } });
    });
  }
}

function bytesOf(value: Buffer | mongo.Binary): Buffer {
  return value instanceof mongo.Binary ? Buffer.from(value.buffer) : value;
}
