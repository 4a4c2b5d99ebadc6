import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ComplaintRecord, NumberCounter, type ComplaintDocument } from './complaint.schema';

const DUPLICATE_KEY = 11000;

/** Every read and write names the group: a query without tenancy does not compile. */
@Injectable()
export class ComplaintsRepository {
  constructor(
    @InjectModel(ComplaintRecord.name) private readonly complaints: Model<ComplaintRecord>,
    @InjectModel(NumberCounter.name) private readonly counters: Model<NumberCounter>,
  ) {}

  /** Atomically takes the next number of a counter; concurrent callers never get the same one. */
  async nextSequence(counterId: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const counter = await this.counters
          .findOneAndUpdate({ _id: counterId }, { $inc: { seq: 1 } }, { upsert: true, new: true })
          .lean();
        return counter.seq;
      } catch (error) {
        // Two first-of-the-day upserts race on the same _id: one inserts, the other retries as an update.
        if (attempt < 3 && isDuplicateKey(error)) continue;
        throw error;
      }
    }
  }

  async insert(complaint: ComplaintRecord): Promise<ComplaintDocument> {
    return this.complaints.create(complaint);
  }

  async findById(groupId: string, id: string): Promise<ComplaintRecord | null> {
    return this.complaints.findOne({ _id: id, groupId }).lean<ComplaintRecord>();
  }

  /** Complaints holding events not yet confirmed on the stream, oldest first. */
  async withPendingEvents(olderThan: Date, limit: number): Promise<ComplaintRecord[]> {
    return this.complaints
      .find({ 'outbox.eventId': { $exists: true }, createdAt: { $lt: olderThan } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<ComplaintRecord[]>();
  }

  async markPublished(groupId: string, id: string, eventId: string): Promise<void> {
    await this.complaints.updateOne({ _id: id, groupId }, { $pull: { outbox: { eventId } } });
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;
}
