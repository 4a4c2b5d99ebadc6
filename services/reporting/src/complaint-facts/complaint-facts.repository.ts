import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { ComplaintFacts } from './complaint-facts.schema';
import { deriveFacts, type ComplaintFactsRow } from './derive-facts';
import type { FactEvent } from './fact-event';

/** What recording one event did: nothing (a duplicate), or the row before and after. */
export type Recorded =
  { applied: false } | { applied: true; before: ComplaintFactsRow | null; after: ComplaintFactsRow };

/** Every field of a row but the events: what rollups read. */
const ROW_FIELDS = { events: 0, eventIds: 0, version: 0 } as const;

function rowOf(document: ComplaintFacts): ComplaintFactsRow {
  const { _id, events: _events, eventIds: _eventIds, version: _version, ...facts } = document;
  return { complaintId: _id, ...facts };
}

@Injectable()
export class ComplaintFactsRepository {
  constructor(@InjectModel(ComplaintFacts.name) private readonly facts: Model<ComplaintFacts>) {}

  /** The live consumer and a rebuild may write one complaint at once. */
  private readonly writes = new PerKeyQueue();

  /**
   * Adds the event to the complaint's row once, then derives the facts again from all its
   * events. The derived part is written only if no one else wrote it since it was read
   * (`version`), else read and derived again: whoever adds an event last also writes facts
   * that include it, however many replicas project at once (MongoDB updates one document
   * atomically; within one process they queue, see PerKeyQueue).
   */
  async record(groupId: string, complaintId: string, event: FactEvent): Promise<Recorded> {
    return this.writes.run(complaintId, () => this.recordNow(groupId, complaintId, event));
  }

  private async recordNow(groupId: string, complaintId: string, event: FactEvent): Promise<Recorded> {
    try {
      await this.facts.updateOne({ _id: complaintId }, { $setOnInsert: { groupId } }, { upsert: true });
    } catch (error) {
      // Another event of the same complaint created the row at the same moment.
      if (!isDuplicateKeyError(error)) throw error;
    }
    // The ids sit in an array of their own: FerretDB does not match `events.id` inside an array of documents.
    const added = await this.facts.updateOne(
      { _id: complaintId, groupId, eventIds: { $ne: event.id } },
      { $push: { events: event, eventIds: event.id } },
    );
    if (added.modifiedCount === 0) return { applied: false };
    for (;;) {
      const current = await this.facts.findOne({ _id: complaintId, groupId }).lean<ComplaintFacts>();
      if (!current) throw new Error(`complaint facts ${complaintId} vanished while being written`);
      const after = deriveFacts(groupId, complaintId, current.events);
      const { complaintId: _id, ...derived } = after;
      const written = await this.facts.updateOne(
        { _id: complaintId, version: current.version },
        { $set: { ...derived, version: current.version + 1 } },
      );
      const before = current.version === 0 ? null : rowOf(current);
      if (written.matchedCount === 1) return { applied: true, before, after };
    }
  }

  async find(groupId: string, complaintId: string): Promise<ComplaintFactsRow | null> {
    // A row whose facts were never derived (version 0) holds no facts yet.
    const document = await this.facts
      .findOne({ _id: complaintId, groupId, version: { $gt: 0 } }, ROW_FIELDS)
      .lean<ComplaintFacts>();
    return document ? rowOf(document) : null;
  }

  async eventCount(groupId: string, complaintId: string): Promise<number> {
    const document = await this.facts.findOne({ _id: complaintId, groupId }, { eventIds: 1 }).lean<ComplaintFacts>();
    return document?.eventIds.length ?? 0;
  }

  async receivedBetween(groupId: string, start: Date, end: Date): Promise<ComplaintFactsRow[]> {
    const documents = await this.facts
      .find({ groupId, receivedAt: { $gte: start, $lt: end } }, ROW_FIELDS)
      .sort({ _id: 1 })
      .lean<ComplaintFacts[]>();
    return documents.map(rowOf);
  }

  /** When each complaint of the group was received: to find every period after a change of time zone. */
  async receivedTimes(groupId: string): Promise<Date[]> {
    const documents = await this.facts
      .find({ groupId, receivedAt: { $ne: null } }, { receivedAt: 1 })
      .lean<Pick<ComplaintFacts, 'receivedAt'>[]>();
    return documents.flatMap((document) => (document.receivedAt ? [document.receivedAt] : []));
  }

  async count(groupId: string): Promise<number> {
    return this.facts.countDocuments({ groupId });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.facts.deleteMany({ groupId });
  }
}
