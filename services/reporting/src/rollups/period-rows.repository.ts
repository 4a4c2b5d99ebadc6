import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type AnyBulkWriteOperation, type Model } from 'mongoose';
import type { VersionedRow } from '../complaint-facts/complaint-facts.repository';
import { fieldKey } from './rollup-changes.repository';

/**
 * The rows of the complaints received on one local day of a group (in its report time zone),
 * for computing a period's figures (medians and percentiles need all its rows): a period's rows
 * are the documents of its days, read by `_id`. Filed by day so that a change rewrites only the
 * small documents of the days it touches (mostly today), never a document that grows with
 * everything stored (FerretDB rewrites a whole document per update). A day holds at most
 * PAGE_ROWS rows per document: the first page is `<group>|<day>` and says how many pages the
 * day has; the others are `<group>|<day>|<n>`. Only the rollup refresher (and a recut) write them.
 */
@Schema({ collection: 'rollup_rows', versionKey: false, minimize: false })
export class PeriodRows {
  /** group|day, or group|day|page for a day's further pages */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  /** YYYY-MM-DD in the group's report time zone. */
  @Prop({ required: true }) day!: string;
  /** On the first page only: how many pages the day has (1 when it has no other). */
  @Prop() pages?: number;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) rows!: Record<string, VersionedRow>;
}
export const PeriodRowsSchema = SchemaFactory.createForClass(PeriodRows);
// Dropping a group's rows (rebuild, recut) only.
PeriodRowsSchema.index({ groupId: 1 });

/**
 * Rows per document: a row is about 600 bytes, so a page stays under about 1 MB, which is what
 * one update of it costs. Few days reach it (the bench's year of 50,000 complaints has about 140
 * a day); a busy day under load does.
 */
export const PAGE_ROWS = 2_000;

export function pageId(groupId: string, day: string, page: number): string {
  return page === 0 ? `${groupId}|${day}` : `${groupId}|${day}|${page}`;
}

/** A day's rows as read, and what the refresher changed in them. */
export class DayRows {
  /** Every row of the day, and the page that holds it. */
  readonly rows = new Map<string, { row: VersionedRow; page: number }>();
  private readonly sizes: number[] = [0];
  /** How many pages the first page says the day has. */
  private storedPages = 1;
  private readonly set = new Map<number, Map<string, VersionedRow>>();
  private readonly unset = new Map<number, Set<string>>();

  constructor(
    readonly groupId: string,
    readonly day: string,
  ) {}

  /** A row as stored (when the day is read). */
  loaded(page: number, row: VersionedRow): void {
    this.rows.set(row.complaintId, { row, page });
    this.countPages(page + 1);
    this.sizes[page] += 1;
  }

  /** The page count the first page states. */
  loadedPages(pages: number): void {
    this.storedPages = Math.max(this.storedPages, pages);
    this.countPages(pages);
  }

  private countPages(pages: number): void {
    while (this.sizes.length < pages) this.sizes.push(0);
  }

  /** Puts the row in, unless a newer version of it is there already; a new row goes to the last page with room. */
  put(row: VersionedRow): void {
    const current = this.rows.get(row.complaintId);
    if (current && current.row.version >= row.version) return;
    let page = current?.page;
    if (page === undefined) {
      page = this.sizes.length - 1;
      if (this.sizes[page] >= PAGE_ROWS) {
        page += 1;
        this.sizes.push(0);
      }
      this.sizes[page] += 1;
    }
    this.rows.set(row.complaintId, { row, page });
    this.unset.get(page)?.delete(row.complaintId);
    this.set.set(page, (this.set.get(page) ?? new Map<string, VersionedRow>()).set(row.complaintId, row));
  }

  /** Takes the complaint out (it is received on another day now), unless this day holds a newer version. */
  remove(complaintId: string, version: number): void {
    const current = this.rows.get(complaintId);
    if (!current || current.row.version > version) return;
    this.rows.delete(complaintId);
    // Its place stays counted: pages only fill up, so a row never has to move between them.
    this.set.get(current.page)?.delete(complaintId);
    this.unset.set(current.page, (this.unset.get(current.page) ?? new Set<string>()).add(complaintId));
  }

  /** The writes are stored: what is held now is what the documents hold. */
  written(): void {
    this.set.clear();
    this.unset.clear();
    this.storedPages = this.sizes.length;
  }

  writes(): AnyBulkWriteOperation<PeriodRows>[] {
    const pages = new Set([...this.set.keys(), ...this.unset.keys()]);
    if (this.sizes.length > this.storedPages) pages.add(0);
    return [...pages].flatMap((page) => {
      const set = [...(this.set.get(page)?.values() ?? [])];
      const unset = [...(this.unset.get(page) ?? [])];
      const count = page === 0 && this.sizes.length > this.storedPages ? { pages: this.sizes.length } : {};
      if (set.length === 0 && unset.length === 0 && !('pages' in count)) return [];
      return [
        {
          updateOne: {
            filter: { _id: pageId(this.groupId, this.day, page) },
            update: {
              $setOnInsert: {
                groupId: this.groupId,
                day: this.day,
                ...(page === 0 && !('pages' in count) ? { pages: 1 } : {}),
              },
              ...(set.length > 0 || 'pages' in count
                ? {
                    $set: {
                      ...count,
                      ...Object.fromEntries(set.map((row) => [`rows.${fieldKey(row.complaintId)}`, row])),
                    },
                  }
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

/**
 * In `rollup_rows`, says its rows are filed by day. Before, they were filed by half-year in 32
 * hashed shards (`<group>|<half>|<shard>`, with a `half` field); the bench preload writes it too.
 */
export const LAYOUT_MARKER = 'layout:days';

/** Reads by `_id` side by side at most (a half-year is about 184 days). */
const READS_AT_ONCE = 32;

async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += READS_AT_ONCE) {
    results.push(...(await Promise.all(items.slice(start, start + READS_AT_ONCE).map(read))));
  }
  return results;
}

@Injectable()
export class PeriodRowsRepository {
  constructor(@InjectModel(PeriodRows.name) private readonly pages: Model<PeriodRows>) {}

  /** The days' first pages by `_id`, then the further pages of the days that have them. */
  async load(groupId: string, days: readonly string[]): Promise<DayRows[]> {
    const loaded = days.map((day) => new DayRows(groupId, day));
    const firsts = await inBatches(loaded, async (day) => {
      const page = await this.pages.findById(pageId(groupId, day.day, 0), { rows: 1, pages: 1 }).lean<PeriodRows>();
      for (const row of Object.values(page?.rows ?? {})) day.loaded(0, row);
      day.loadedPages(page?.pages ?? 1);
      return { day, pages: page?.pages ?? 1 };
    });
    const further = firsts.flatMap(({ day, pages }) =>
      Array.from({ length: pages - 1 }, (_, index) => ({ day, page: index + 1 })),
    );
    await inBatches(further, async ({ day, page }) => {
      const document = await this.pages.findById(pageId(groupId, day.day, page), { rows: 1 }).lean<PeriodRows>();
      for (const row of Object.values(document?.rows ?? {})) day.loaded(page, row);
    });
    return loaded;
  }

  /** One round trip: every changed document, each updated by `_id`. */
  async save(days: readonly DayRows[]): Promise<void> {
    const writes = days.flatMap((day) => day.writes());
    if (writes.length > 0) await this.pages.bulkWrite(writes, { ordered: false });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.pages.deleteMany({ groupId });
  }

  /** Whether the rows are filed by day already (this version or a later one wrote the marker). */
  async filedByDay(): Promise<boolean> {
    return (await this.pages.collection.findOne({ _id: LAYOUT_MARKER as never }, { projection: { _id: 1 } })) !== null;
  }

  /** The groups that have rows filed by half-year (before this version): admin's once-only scan. */
  async groupsFiledByHalf(): Promise<string[]> {
    return (await this.pages.collection.distinct('groupId', { half: { $exists: true } })) as string[];
  }

  /** The half-year documents go, and the marker says the rows are filed by day. */
  async finishFilingByDay(): Promise<void> {
    await this.pages.collection.deleteMany({ half: { $exists: true } });
    await this.pages.collection.updateOne(
      { _id: LAYOUT_MARKER as never },
      { $set: { layout: 'day', at: new Date() } },
      { upsert: true },
    );
  }
}
