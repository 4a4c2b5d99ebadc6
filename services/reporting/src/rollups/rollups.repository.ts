import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type AnyBulkWriteOperation, type Model } from 'mongoose';
import { FIGURES, REPORT_DIMENSIONS, type PeriodKind } from '@complaints/domain';
import type { ScopeKey, ScopeReport } from '../figures/build-report';

/**
 * The figures and breakdowns a stored report holds: a period built before one was added is built again
 * when it is read, instead of answering without it.
 */
const FIGURE_SET = [...Object.keys(FIGURES), ...REPORT_DIMENSIONS].join(',');

/** One report period of a group that has rollups, and the scopes they were written for. */
@Schema({ collection: 'rollup_periods', versionKey: false })
export class RollupPeriod {
  /** group|kind|key */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ type: String, required: true }) kind!: PeriodKind;
  @Prop({ required: true }) key!: string;
  @Prop({ type: [String], default: [] }) scopes!: ScopeKey[];
  @Prop({ type: Date, default: null }) builtAt!: Date | null;
  /** FIGURE_SET when it was built; absent: built before this was recorded. */
  @Prop({ type: String, default: '' }) figures!: string;
  /** Rows of the period changed since its figures were built: the next read builds them again. */
  @Prop({ default: false }) stale!: boolean;
}
export const RollupPeriodSchema = SchemaFactory.createForClass(RollupPeriod);

/**
 * The figures of one scope (group, a region, a property) for one period. Stored as built:
 * without `minimize: false` mongoose drops empty objects (no escalations by level) and the
 * stored report no longer has the shape the API and the exports read.
 */
@Schema({ collection: 'rollups', versionKey: false, minimize: false })
export class Rollup {
  /** group|kind|key|scope */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) periodId!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ type: String, required: true }) kind!: PeriodKind;
  @Prop({ required: true }) key!: string;
  @Prop({ type: String, required: true }) scope!: ScopeKey;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) report!: ScopeReport;
}
export const RollupSchema = SchemaFactory.createForClass(Rollup);
// Dropping a group's rollups (rebuild, recut) only.
RollupSchema.index({ groupId: 1 });

export function periodId(groupId: string, kind: PeriodKind, key: string): string {
  return `${groupId}|${kind}|${key}`;
}

/**
 * Rollups written by whoever holds the group's lease (see RefreshRollups): one writer per period
 * at a time. A refresh only marks the periods its changes touch stale; a read builds them.
 */
@Injectable()
export class RollupsRepository {
  constructor(
    @InjectModel(RollupPeriod.name) private readonly periods: Model<RollupPeriod>,
    @InjectModel(Rollup.name) private readonly rollups: Model<Rollup>,
  ) {}

  /**
   * Stores the report of every scope of the period, and removes those of scopes without
   * complaints any more: one read and two writes, every document by `_id`.
   */
  async write(groupId: string, kind: PeriodKind, key: string, reports: readonly ScopeReport[]): Promise<void> {
    const id = periodId(groupId, kind, key);
    const previous = await this.periods.findById(id, { scopes: 1 }).lean<RollupPeriod>();
    const scopes = reports.map((report) => report.scope);
    const gone = (previous?.scopes ?? []).filter((scope) => !scopes.includes(scope));
    const writes: AnyBulkWriteOperation<Rollup>[] = [
      ...reports.map((report) => {
        const _id = `${id}|${report.scope}`;
        return {
          replaceOne: {
            filter: { _id },
            replacement: { _id, periodId: id, groupId, kind, key, scope: report.scope, report },
            upsert: true,
          },
        };
      }),
      ...gone.map((scope) => ({ deleteOne: { filter: { _id: `${id}|${scope}` } } })),
    ];
    await this.rollups.bulkWrite(writes, { ordered: false });
    await this.periods.replaceOne(
      { _id: id },
      { _id: id, groupId, kind, key, scopes, builtAt: new Date(), stale: false, figures: FIGURE_SET },
      { upsert: true },
    );
  }

  /**
   * The periods' figures are out of date: one round trip, each period by `_id`. A period never
   * built stays unbuilt (no upsert): its first read builds it anyway.
   */
  async markStale(groupId: string, periods: readonly { kind: PeriodKind; key: string }[]): Promise<void> {
    if (periods.length === 0) return;
    await this.periods.bulkWrite(
      periods.map(({ kind, key }) => ({
        updateOne: { filter: { _id: periodId(groupId, kind, key) }, update: { $set: { stale: true } } },
      })),
      { ordered: false },
    );
  }

  /** The period's figures are stored and up to date: their scopes, else null (never built, or stale). */
  async builtScopes(groupId: string, kind: PeriodKind, key: string): Promise<ScopeKey[] | null> {
    const period = await this.periods
      .findById(periodId(groupId, kind, key), { scopes: 1, stale: 1, figures: 1 })
      .lean<RollupPeriod>();
    return period && !period.stale && period.figures === FIGURE_SET ? period.scopes : null;
  }

  async scope(groupId: string, kind: PeriodKind, key: string, scope: ScopeKey): Promise<ScopeReport | null> {
    const rollup = await this.rollups.findById(`${periodId(groupId, kind, key)}|${scope}`).lean<Rollup>();
    if (!rollup) return null;
    // Written before the schema kept empty objects: an empty count was dropped.
    const { report } = rollup;
    return { ...report, figures: { ...report.figures, escalationsByLevel: report.figures.escalationsByLevel ?? {} } };
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.rollups.deleteMany({ groupId });
    await this.periods.deleteMany({ groupId });
  }
}
