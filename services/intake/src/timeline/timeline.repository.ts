import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';
import { GENESIS_HASH, TimelineSeal } from './hash-chain';
import { TimelineEntryRecord, type ActorRecord, type TimelineHead } from './timeline.schema';

export interface NewTimelineEntry {
  sourceId: string;
  at: Date;
  type: string;
  actor: ActorRecord;
  details: Record<string, unknown>;
}

export interface Placed {
  entry: TimelineEntryRecord;
  /** The head after this entry (or after the entries found on the way); store it with the complaint. */
  head: TimelineHead;
  /** The head moved: the caller must store it. */
  moved: boolean;
}

export const entryId = (complaintId: string, seq: number) => `${complaintId}:${seq}`;

@Injectable()
export class TimelineRepository {
  constructor(
    @InjectModel(TimelineEntryRecord.name) private readonly entries: Model<TimelineEntryRecord>,
    private readonly seal: TimelineSeal,
  ) {}

  /**
   * A new complaint's first entry, computed but not written: registration stores the complaint
   * with its head already naming it (one write less), then writes it with `writeFirst`.
   */
  first(groupId: string, complaintId: string, entry: NewTimelineEntry): Placed {
    const record = this.recordAt(groupId, complaintId, 1, GENESIS_HASH, entry);
    return { entry: record, head: advance({ seq: 0, hash: '', sources: [] }, record), moved: true };
  }

  /** Writes a first entry from `first`; written already (a retry): nothing to do. */
  async writeFirst(entry: TimelineEntryRecord): Promise<void> {
    try {
      await this.entries.create(entry);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Whether the entry at `seq` is stored. */
  async has(complaintId: string, seq: number): Promise<boolean> {
    return (await this.entries.findById(entryId(complaintId, seq), { _id: 1 }).lean()) !== null;
  }

  /**
   * Appends after `head` (the complaint's stored head); idempotent by sourceId. Every read and
   * write is by `_id`: the head says whether the source is there already and where the chain
   * ends; the entry's `_id` `<complaint>:<seq>` decides between writers racing for one place.
   * A writer that loses the place (or finds one taken by a writer that died before storing its
   * head) reads the entry there and links after it, so the head catches up with the entries.
   */
  async place(groupId: string, complaintId: string, head: TimelineHead, entry: NewTimelineEntry): Promise<Placed> {
    let current: TimelineHead = { seq: head.seq, hash: head.hash, sources: [...head.sources] };
    let moved = false;
    for (;;) {
      const known = current.sources.indexOf(entry.sourceId);
      if (known >= 0) {
        const found = await this.entries.findById(entryId(complaintId, known + 1)).lean<TimelineEntryRecord>();
        if (found) return { entry: found, head: current, moved };
        // The one place a head names before its entry exists: a registration stores the complaint
        // with its first entry's head, then the entry (see `first`). Stopped in between, the entry
        // is written here, from the same event, so it hashes to what the head and later entries link to.
        if (known !== 0) throw new Error(`timeline of ${complaintId}: the head names entry ${known + 1}, not stored`);
        const record = this.recordAt(groupId, complaintId, 1, GENESIS_HASH, entry);
        await this.writeFirst(record);
        return { entry: record, head: current, moved };
      }
      const seq = current.seq + 1;
      const record = this.recordAt(groupId, complaintId, seq, current.hash || GENESIS_HASH, entry);
      try {
        await this.entries.create(record);
        return { entry: record, head: advance(current, record), moved: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const taken = await this.entries.findById(record._id).lean<TimelineEntryRecord>();
      if (!taken) {
        // Not the place but the (complaintId, sourceId) index: the source is further back than
        // a consistent head can miss. Cannot happen while entries stay contiguous; answered
        // by a query rather than a loop if it ever does.
        const existing = await this.entries
          .findOne({ complaintId, sourceId: entry.sourceId })
          .lean<TimelineEntryRecord>();
        if (existing) return { entry: existing, head: current, moved };
        throw new Error(`timeline of ${complaintId}: place ${seq} refused but empty`);
      }
      current = advance(current, taken);
      moved = true;
      if (taken.sourceId === entry.sourceId) return { entry: taken, head: current, moved };
    }
  }

  /**
   * The whole chain, for reading and verifying it, by `_id` (a query by complaint would read every
   * complaint's entries on FerretDB): the places up to the head's `headSeq` at once, a missing one
   * left as a gap for verification to report, then on from there to the first free place.
   */
  async list(groupId: string, complaintId: string, headSeq = 0): Promise<TimelineEntryRecord[]> {
    return (await this.page(groupId, complaintId, headSeq, { afterSeq: 0, limit: Infinity })).entries;
  }

  /**
   * The entries after `afterSeq`, at most `limit`: the places up to the head at once, then on
   * past it one by one (a head that lags). `nextAfterSeq` is 0 when nothing can follow.
   */
  async page(
    groupId: string,
    complaintId: string,
    headSeq: number,
    { afterSeq, limit }: { afterSeq: number; limit: number },
  ): Promise<{ entries: TimelineEntryRecord[]; nextAfterSeq: number }> {
    const read = (seq: number) => this.entries.findById(entryId(complaintId, seq)).lean<TimelineEntryRecord>();
    const last = Math.min(headSeq, afterSeq + limit);
    const known = await Promise.all(
      Array.from({ length: Math.max(0, last - afterSeq) }, (_, i) => read(afterSeq + i + 1)),
    );
    const found = known.filter((entry): entry is TimelineEntryRecord => entry !== null);
    let seq = Math.max(last, afterSeq);
    let more = seq < headSeq;
    while (!more && seq - afterSeq < limit) {
      const entry = await read(seq + 1);
      if (!entry) break;
      found.push(entry);
      seq += 1;
    }
    // A full page may have more after it, however long the head says the chain is.
    more ||= seq - afterSeq >= limit;
    // Ids are unique across groups, so another group's complaint simply has no timeline here.
    const entries = found.filter((entry) => entry.groupId === groupId);
    return { entries, nextAfterSeq: more ? seq : 0 };
  }

  private recordAt(
    groupId: string,
    complaintId: string,
    seq: number,
    prevHash: string,
    entry: NewTimelineEntry,
  ): TimelineEntryRecord {
    const signed = this.seal.sign({
      complaintId,
      seq,
      at: entry.at.toISOString(),
      type: entry.type,
      actor: {
        kind: entry.actor.kind,
        id: entry.actor.id,
        name: entry.actor.name,
        ...(entry.actor.via ? { via: { keyId: entry.actor.via.keyId, name: entry.actor.via.name } } : {}),
      },
      details: entry.details,
      prevHash,
    });
    return { _id: entryId(complaintId, seq), groupId, sourceId: entry.sourceId, ...signed };
  }
}

function advance(head: TimelineHead, entry: TimelineEntryRecord): TimelineHead {
  return { seq: entry.seq, hash: entry.hash, sources: [...head.sources.slice(0, entry.seq - 1), entry.sourceId] };
}
