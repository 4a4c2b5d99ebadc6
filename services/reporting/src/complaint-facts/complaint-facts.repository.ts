import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { ComplaintFacts } from './complaint-facts.schema';
import { deriveFacts, type ComplaintFactsRow } from './derive-facts';
import type { FactEvent } from './fact-event';

/** A complaint's row as rollups keep it: the facts, and the row version they were derived at. */
export type VersionedRow = ComplaintFactsRow & { version: number };

/**
 * What recording one event did: nothing (a duplicate), or the row before and after. A duplicate
 * found in the store rather than in memory comes with the row: the process that wrote it may have
 * died before noting the change for the rollups (the event comes again because it was never
 * acknowledged), so it is noted again.
 */
export type Recorded =
  { applied: false; stored?: VersionedRow } | { applied: true; before: ComplaintFactsRow | null; after: VersionedRow };

/** Every field of a row but the events: what rollups read. */
const ROW_FIELDS = { events: 0, eventIds: 0 } as const;

/** Rows read by `_id` side by side when they are not remembered. */
const READS_AT_ONCE = 16;

/** How many complaints' rows the process remembers between their events (a few MB). */
const CACHED_ROWS = 10_000;

/** What the process knows of a stored row: enough to derive the next facts without reading it. */
interface Known {
  groupId: string;
  events: FactEvent[];
  eventIds: string[];
  version: number;
}

function rowOf(document: ComplaintFacts): VersionedRow {
  const { _id, events: _events, eventIds: _eventIds, ...facts } = document;
  return { complaintId: _id, ...facts };
}

@Injectable()
export class ComplaintFactsRepository {
  constructor(@InjectModel(ComplaintFacts.name) private readonly facts: Model<ComplaintFacts>) {}

  /** The live consumer and a rebuild may write one complaint at once. */
  private readonly writes = new PerKeyQueue();

  /**
   * The rows this process wrote last, oldest first (a Map keeps insertion order): a complaint's
   * events come one after another to one consumer, so its next event is derived from what was
   * written without reading it back. Whether the store still holds that is checked by the write
   * itself (see recordNow), so another writer is noticed, never overwritten.
   */
  private readonly known = new Map<string, Known>();

  /**
   * Adds the event to the complaint's row once and writes the facts derived from all its events,
   * in one write by `_id`. The row is read first (by `_id`) only when the process does not know
   * it: not when it wrote it last, and not for a registration, which comes first and finds no
   * row (when it does find one, out of order or delivered again, the write says so and the facts
   * are derived again at once, see below).
   */
  async record(groupId: string, complaintId: string, event: FactEvent): Promise<Recorded> {
    return this.writes.run(complaintId, () => this.recordNow(groupId, complaintId, event));
  }

  private async recordNow(groupId: string, complaintId: string, event: FactEvent): Promise<Recorded> {
    const remembered = this.known.get(complaintId);
    let known = remembered ?? (event.type === 'registered' ? null : await this.read(complaintId));
    // A row of another group is none of this event's business (ids are unique across groups).
    if (known && known.groupId !== groupId) return { applied: false };
    if (known?.eventIds.includes(event.id)) {
      if (remembered) return { applied: false };
      return { applied: false, stored: { ...deriveFacts(groupId, complaintId, known.events), version: known.version } };
    }
    let applied = true;
    for (;;) {
      const events = known ? [...known.events, event] : [event];
      const after = deriveFacts(groupId, complaintId, events);
      const { complaintId: _id, groupId: _group, ...derived } = after;
      let previous: ComplaintFacts | null;
      try {
        // $addToSet keeps the event if another writer got in between (one update of one
        // document is atomic on MongoDB); the document as it was just before says whether one did.
        previous = await this.facts
          .findOneAndUpdate(
            { _id: complaintId },
            {
              $setOnInsert: { groupId },
              $set: derived,
              $addToSet: { events: event, eventIds: event.id },
              $inc: { version: 1 },
            },
            { upsert: true, returnDocument: 'before' },
          )
          .lean<ComplaintFacts>();
      } catch (error) {
        // Another writer created the row at the same moment: derive from what it wrote.
        if (!isDuplicateKeyError(error)) throw error;
        known = await this.read(complaintId);
        continue;
      }
      if (previous && previous.groupId !== groupId) return this.undo(previous, event);
      const version = previous?.version ?? 0;
      if (version === (known?.version ?? 0)) {
        // Nobody wrote since the row was known: the facts just written are those of all its events.
        this.remember(complaintId, { groupId, events, eventIds: events.map((one) => one.id), version: version + 1 });
        const row = { ...after, version: version + 1 };
        // A duplicate found only by writing: the facts are right again; note them for the rollups
        // (the delivery that first wrote them may have died before noting them).
        if (!applied) return { applied: false, stored: row };
        return {
          applied: true,
          before: known && known.events.length > 0 ? deriveFacts(groupId, complaintId, known.events) : null,
          after: row,
        };
      }
      // The row was not what the process knew (a registration out of order or delivered again, a
      // replica, a rebuild): its events and ours are stored now, but the facts just written were
      // derived without its events. Derive them again from all of them. A restart between the two
      // writes delivers the event again, which does the same.
      const stored = previous?.events ?? [];
      if (stored.some((one) => one.id === event.id)) applied = false;
      const others = stored.filter((one) => one.id !== event.id);
      known = { groupId, events: others, eventIds: others.map((one) => one.id), version: version + 1 };
    }
  }

  /** A registration written unread onto another group's row: the row is put back as it was. */
  private async undo(previous: ComplaintFacts, event: FactEvent): Promise<Recorded> {
    const {
      complaintId: _id,
      groupId: _group,
      ...derived
    } = deriveFacts(previous.groupId, previous._id, previous.events);
    await this.facts.updateOne(
      { _id: previous._id },
      { $set: derived, $pull: { events: { id: event.id }, eventIds: event.id }, $inc: { version: 1 } },
    );
    this.known.delete(previous._id);
    return { applied: false };
  }

  private async read(complaintId: string): Promise<Known | null> {
    const document = await this.facts
      .findById(complaintId, { groupId: 1, events: 1, eventIds: 1, version: 1 })
      .lean<ComplaintFacts>();
    return document
      ? { groupId: document.groupId, events: document.events, eventIds: document.eventIds, version: document.version }
      : null;
  }

  private remember(complaintId: string, known: Known): void {
    this.known.delete(complaintId);
    this.known.set(complaintId, known);
    if (this.known.size > CACHED_ROWS) this.known.delete(this.known.keys().next().value!);
  }

  async find(groupId: string, complaintId: string): Promise<ComplaintFactsRow | null> {
    const document = await this.facts.findById(complaintId, ROW_FIELDS).lean<ComplaintFacts>();
    // A row whose facts were never derived (version 0) holds no facts yet.
    if (!document || document.groupId !== groupId || !(document.version > 0)) return null;
    const { version: _version, ...row } = rowOf(document);
    return row;
  }

  /**
   * The rows of the complaints at (at least) the versions given: derived from what the process
   * wrote when it wrote that version or a later one (the version check of every write makes the
   * remembered events exactly those stored at that version), else read by `_id`. A row gone (a
   * rebuild dropped it) is left out: the rebuild notes it again.
   */
  async rowsAt(groupId: string, versions: ReadonlyMap<string, number>): Promise<VersionedRow[]> {
    const rows: VersionedRow[] = [];
    const unknown: string[] = [];
    for (const [complaintId, version] of versions) {
      const known = this.known.get(complaintId);
      if (known && known.groupId === groupId && known.version >= version) {
        rows.push({ ...deriveFacts(groupId, complaintId, known.events), version: known.version });
      } else {
        unknown.push(complaintId);
      }
    }
    for (let start = 0; start < unknown.length; start += READS_AT_ONCE) {
      const documents = await Promise.all(
        unknown
          .slice(start, start + READS_AT_ONCE)
          .map((complaintId) => this.facts.findById(complaintId, ROW_FIELDS).lean<ComplaintFacts>()),
      );
      for (const document of documents) if (document?.groupId === groupId) rows.push(rowOf(document));
    }
    return rows;
  }

  async eventCount(groupId: string, complaintId: string): Promise<number> {
    const document = await this.facts.findById(complaintId, { groupId: 1, eventIds: 1 }).lean<ComplaintFacts>();
    return document?.groupId === groupId ? document.eventIds.length : 0;
  }

  /** Every row of the group: only for recutting all its rollups (an admin's change of settings). */
  async allRows(groupId: string): Promise<VersionedRow[]> {
    const documents = await this.facts
      .find({ groupId, version: { $gt: 0 } }, ROW_FIELDS)
      .sort({ _id: 1 })
      .lean<ComplaintFacts[]>();
    return documents.map(rowOf);
  }

  async count(groupId: string): Promise<number> {
    return this.facts.countDocuments({ groupId });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.facts.deleteMany({ groupId });
    // The rows remembered may be the group's: the next event of any complaint reads its row.
    this.known.clear();
  }
}
