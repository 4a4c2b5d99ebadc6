import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import { GroupCommit, isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';

/**
 * One change of a complaint's row not yet in the rollups: the complaint, the row version it
 * wrote, and when the complaint was received before and after it (epoch ms: the periods whose
 * rollups it touches). Small on purpose: every change of the group goes through this document.
 */
export interface RowChange {
  id: string;
  version: number;
  at: number[];
}

/**
 * The changes of a group's rows waiting for the rollup refresher: one small document per group,
 * read and written by `_id`. Each change is a field of its own (`<complaint>~<token>`), so the
 * refresher removes exactly those it applied and a change made meanwhile stays. `lease*` says
 * which replica is refreshing the group's rollups.
 */
@Schema({ collection: 'rollup_changes', versionKey: false, minimize: false })
export class RollupChanges {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) changes!: Record<string, RowChange>;
  @Prop({ type: Date, default: null }) leaseUntil!: Date | null;
  @Prop({ default: 0 }) leaseSeq!: number;
  /** Set when the document is created: a group's document made anew (after a rebuild) starts counting leases again. */
  @Prop({ default: '' }) epoch!: string;
}
export const RollupChangesSchema = SchemaFactory.createForClass(RollupChanges);

/** MongoDB field names hold no dots and start with no dollar: ids are escaped the way URLs are. */
export function fieldKey(id: string): string {
  return id.replace(/[.$%~]/g, (character) => `%${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const PROCESS = randomBytes(4).toString('hex');

/** A refresh's hold on a group: the lease count it took, in the document's epoch. */
export interface Lease {
  epoch: string;
  seq: number;
}
/** How long a refresher may hold a group before another replica takes over (it releases when done). */
const LEASE_MS = 60_000;

@Injectable()
export class RollupChangesRepository {
  private counter = 0;
  /** Every write to a group's document, one at a time in this process (FerretDB v1 has no document isolation). */
  private readonly queue = new PerKeyQueue();
  private readonly commits = new GroupCommit<RowChange>((groupId, changes) =>
    this.queue.run(groupId, () => this.store(groupId, changes)),
  );

  constructor(@InjectModel(RollupChanges.name) private readonly documents: Model<RollupChanges>) {}

  /** Resolves once the change is stored, together with the others made meanwhile (one write for all). */
  async add(groupId: string, change: RowChange): Promise<void> {
    return this.commits.add(groupId, change);
  }

  private async store(groupId: string, changes: RowChange[]): Promise<void> {
    const fields = Object.fromEntries(
      changes.map((change) => [`changes.${fieldKey(change.id)}~${PROCESS}${(this.counter += 1)}`, change]),
    );
    const write = () =>
      this.documents.updateOne(
        { _id: groupId },
        { $set: fields, $setOnInsert: { epoch: randomBytes(8).toString('hex') } },
        { upsert: true },
      );
    try {
      await write();
    } catch (error) {
      // Another replica created the group's document at the same moment.
      if (!isDuplicateKeyError(error)) throw error;
      await write();
    }
  }

  async read(groupId: string): Promise<RollupChanges | null> {
    return this.documents.findById(groupId).lean<RollupChanges>();
  }

  /**
   * Takes the group's lease unless another replica holds it; `seen` is the document as just read
   * (null: the group has none yet, as after a bulk load, and it is created with the lease).
   * The update returns the document as it was before it, so of two replicas taking it at once the
   * second sees the first's `leaseSeq` and backs off (atomic on MongoDB; on FerretDB v1 only
   * within a process, where the queue makes it so).
   */
  async claim(groupId: string, seen: RollupChanges | null): Promise<Lease | null> {
    if (seen?.leaseUntil && seen.leaseUntil.getTime() > Date.now()) return null;
    return this.queue.run(groupId, async () => {
      const epoch = randomBytes(8).toString('hex');
      try {
        const before = await this.documents
          .findOneAndUpdate(
            { _id: groupId },
            {
              $set: { leaseUntil: new Date(Date.now() + LEASE_MS) },
              $inc: { leaseSeq: 1 },
              $setOnInsert: { epoch },
            },
            { returnDocument: 'before', upsert: seen === null },
          )
          .lean<RollupChanges>();
        if (seen === null) return before === null ? { epoch, seq: 1 } : null;
        return before !== null && before.leaseSeq === seen.leaseSeq
          ? { epoch: before.epoch, seq: before.leaseSeq + 1 }
          : null;
      } catch (error) {
        // Another replica created the group's document at the same moment: it holds the lease.
        if (isDuplicateKeyError(error)) return null;
        throw error;
      }
    });
  }

  /**
   * Counts a lease without holding one: whoever writes the group's rollup rows outside a refresh
   * (a recut) tells the replicas that what they remember of them is old.
   */
  async bump(groupId: string): Promise<void> {
    await this.queue.run(groupId, () =>
      this.documents.updateOne(
        { _id: groupId },
        { $inc: { leaseSeq: 1 }, $setOnInsert: { epoch: randomBytes(8).toString('hex') } },
        { upsert: true },
      ),
    );
  }

  /** The changes are in the rollups: they go, and so does the lease. */
  async settle(groupId: string, keys: string[]): Promise<void> {
    await this.queue.run(groupId, () =>
      this.documents.updateOne(
        { _id: groupId },
        {
          $set: { leaseUntil: null },
          ...(keys.length > 0 ? { $unset: Object.fromEntries(keys.map((key) => [`changes.${key}`, ''])) } : {}),
        },
      ),
    );
  }

  /** The groups that have, or once had, changes: a few documents, one per group (not per complaint). */
  async groups(): Promise<string[]> {
    const documents = await this.documents.find({}, { _id: 1 }).lean<Pick<RollupChanges, '_id'>[]>();
    return documents.map((document) => document._id);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.queue.run(groupId, () => this.documents.deleteOne({ _id: groupId }));
  }
}
