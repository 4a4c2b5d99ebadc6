import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type AnyBulkWriteOperation, type Model } from 'mongoose';
import type { VersionedRow } from '../complaint-facts/complaint-facts.repository';
import { fieldKey } from './rollup-changes.repository';

/**
 * The rows of the complaints received in one half-year of a group (in its time zone), spread
 * over a fixed number of documents by a hash of the complaint id. A period's figures (medians
 * and percentiles among them) are computed from all its rows; these documents give them by
 * `_id`, in a few reads, however many complaints the store holds. Weeks and months are cut from
 * the half-years they lie in. Only the rollup refresher writes them.
 */
@Schema({ collection: 'rollup_rows', versionKey: false, minimize: false })
export class PeriodRows {
  /** group|half key|shard */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) half!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) rows!: Record<string, VersionedRow>;
}
export const PeriodRowsSchema = SchemaFactory.createForClass(PeriodRows);
// Dropping a group's rows (rebuild, recut) only.
PeriodRowsSchema.index({ groupId: 1 });

/** Documents per half-year: 50,000 complaints in a half make about 1 MB each. */
export const SHARDS = 32;

export function shardOf(complaintId: string): number {
  // FNV-1a: stable across processes and releases, which the document ids depend on.
  let hash = 0x811c9dc5;
  for (let index = 0; index < complaintId.length; index += 1) {
    hash ^= complaintId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARDS;
}

export function pageId(groupId: string, half: string, shard: number): string {
  return `${groupId}|${half}|${shard}`;
}

/** A half-year's rows as read, and what the refresher changed in them. */
export class HalfRows {
  readonly rows = new Map<string, VersionedRow>();
  private readonly set = new Map<number, Map<string, VersionedRow>>();
  private readonly unset = new Map<number, Set<string>>();

  constructor(
    readonly groupId: string,
    readonly half: string,
  ) {}

  /** Puts the row in, unless a newer version of it is there already. */
  put(row: VersionedRow): void {
    const current = this.rows.get(row.complaintId);
    if (current && current.version >= row.version) return;
    this.rows.set(row.complaintId, row);
    const shard = shardOf(row.complaintId);
    this.unset.get(shard)?.delete(row.complaintId);
    this.set.set(shard, (this.set.get(shard) ?? new Map<string, VersionedRow>()).set(row.complaintId, row));
  }

  /** Takes the complaint out (it is received in another half now), unless this half holds a newer version. */
  remove(complaintId: string, version: number): void {
    const current = this.rows.get(complaintId);
    if (!current || current.version > version) return;
    this.rows.delete(complaintId);
    const shard = shardOf(complaintId);
    this.set.get(shard)?.delete(complaintId);
    this.unset.set(shard, (this.unset.get(shard) ?? new Set<string>()).add(complaintId));
  }

  /** The writes are stored: what is held now is what the documents hold. */
  written(): void {
    this.set.clear();
    this.unset.clear();
  }

  writes(): AnyBulkWriteOperation<PeriodRows>[] {
    const shards = new Set([...this.set.keys(), ...this.unset.keys()]);
    return [...shards].flatMap((shard) => {
      const set = [...(this.set.get(shard)?.values() ?? [])];
      const unset = [...(this.unset.get(shard) ?? [])];
      if (set.length === 0 && unset.length === 0) return [];
      return [
        {
          updateOne: {
            filter: { _id: pageId(this.groupId, this.half, shard) },
            update: {
              $setOnInsert: { groupId: this.groupId, half: this.half },
              ...(set.length > 0
                ? { $set: Object.fromEntries(set.map((row) => [`rows.${fieldKey(row.complaintId)}`, row])) }
                : {}),
              ...(unset.length > 0
                ? { $unset: Object.fromEntries(unset.map((id) => [`rows.${fieldKey(id)}`, ''])) }
                : {}),
            },
            upsert: true,
          },
        },
      ];
    });
  }
}

@Injectable()
export class PeriodRowsRepository {
  constructor(@InjectModel(PeriodRows.name) private readonly pages: Model<PeriodRows>) {}

  /** SHARDS reads by `_id`, at once. */
  async load(groupId: string, half: string): Promise<HalfRows> {
    const loaded = new HalfRows(groupId, half);
    const pages = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.pages.findById(pageId(groupId, half, shard), { rows: 1 }).lean<PeriodRows>(),
      ),
    );
    for (const page of pages) {
      for (const row of Object.values(page?.rows ?? {})) loaded.rows.set(row.complaintId, row);
    }
    return loaded;
  }

  /** One round trip: every changed document, each updated by `_id`. */
  async save(halves: readonly HalfRows[]): Promise<void> {
    const writes = halves.flatMap((half) => half.writes());
    if (writes.length > 0) await this.pages.bulkWrite(writes, { ordered: false });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.pages.deleteMany({ groupId });
  }
}
