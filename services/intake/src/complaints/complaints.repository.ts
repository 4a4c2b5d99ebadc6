import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { mongo, type Model } from 'mongoose';
import { ComplaintRecord, NumberClaim, NumberCounter, type ComplaintDocument } from './complaint.schema';

const DUPLICATE_KEY = 11000;

/** Every read and write names the group: a query without tenancy does not compile. */
@Injectable()
export class ComplaintsRepository {
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
        if (!isDuplicateKey(error)) throw error;
        candidate++;
      }
    }
    try {
      await this.counters.updateOne({ _id: counterId }, { $max: { seq: candidate } }, { upsert: true });
    } catch (error) {
      // Another first-of-the-day claim created the counter at the same moment; the hint is only a hint.
      if (!isDuplicateKey(error)) throw error;
    }
    return candidate;
  }

  async insert(complaint: ComplaintRecord): Promise<ComplaintDocument> {
    return this.complaints.create(complaint);
  }

  async findById(groupId: string, id: string): Promise<ComplaintRecord | null> {
    return this.complaints.findOne({ _id: id, groupId }).lean<ComplaintRecord>();
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
    await this.complaints.updateOne({ _id: id, groupId, outbox: { $size: count } }, { $set: { outbox: [] } });
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;
}

function bytesOf(value: Buffer | mongo.Binary): Buffer {
  return value instanceof mongo.Binary ? Buffer.from(value.buffer) : value;
}
