import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import type { PeriodKind } from '@complaints/domain';
import { isDuplicateKeyError } from '@complaints/service-kit';
import type { ScopeKey, ScopeReport } from '../figures/build-report';

/**
 * One report period of a group, and whether its rollups still match the complaint rows.
 * Every change to a row received in the period raises `dirtySeq`; a refresh that read the
 * rows at `dirtySeq` n records `builtSeq` n, so a change during a refresh leaves it stale.
 */
@Schema({ collection: 'rollup_periods', versionKey: false })
export class RollupPeriod {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) kind!: PeriodKind;
  @Prop({ required: true }) key!: string;
  @Prop({ required: true, index: true }) stale!: boolean;
  @Prop({ default: 0 }) dirtySeq!: number;
  @Prop({ default: 0 }) builtSeq!: number;
  @Prop({ type: Date, default: null }) builtAt!: Date | null;
}
export const RollupPeriodSchema = SchemaFactory.createForClass(RollupPeriod);
RollupPeriodSchema.index({ groupId: 1, kind: 1, key: 1 });

/** The figures of one scope (group, a region, a property) for one period. */
@Schema({ collection: 'rollups', versionKey: false })
export class Rollup {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) periodId!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) kind!: PeriodKind;
  @Prop({ required: true }) key!: string;
  @Prop({ required: true }) scope!: ScopeKey;
  /** The period's dirtySeq the rows were read at. */
  @Prop({ required: true }) seq!: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) report!: ScopeReport;
}
export const RollupSchema = SchemaFactory.createForClass(Rollup);
RollupSchema.index({ groupId: 1 });

export function periodId(groupId: string, kind: PeriodKind, key: string): string {
  return `${groupId}|${kind}|${key}`;
}

@Injectable()
export class RollupsRepository {
  constructor(
    @InjectModel(RollupPeriod.name) private readonly periods: Model<RollupPeriod>,
    @InjectModel(Rollup.name) private readonly rollups: Model<Rollup>,
  ) {}

  async markStale(groupId: string, kind: PeriodKind, key: string): Promise<void> {
    const mark = () =>
      this.periods.updateOne(
        { _id: periodId(groupId, kind, key) },
        { $set: { stale: true, groupId, kind, key }, $inc: { dirtySeq: 1 } },
        { upsert: true },
      );
    try {
      await mark();
    } catch (error) {
      // Two first marks of one period at once: the second finds the row the first created.
      if (!isDuplicateKeyError(error)) throw error;
      await mark();
    }
  }

  async period(groupId: string, kind: PeriodKind, key: string): Promise<RollupPeriod | null> {
    return this.periods.findById(periodId(groupId, kind, key)).lean<RollupPeriod>();
  }

  async stalePeriods(limit: number): Promise<RollupPeriod[]> {
    return this.periods.find({ stale: true }).sort({ _id: 1 }).limit(limit).lean<RollupPeriod[]>();
  }

  async periodsOf(groupId: string): Promise<RollupPeriod[]> {
    return this.periods.find({ groupId }).sort({ _id: 1 }).lean<RollupPeriod[]>();
  }

  /**
   * Stores the reports of every scope as read at `seq`. A newer refresh's documents are never
   * overwritten, scopes that no longer have complaints are removed, and the period is fresh
   * only if nothing changed since `seq`.
   */
  async write(groupId: string, kind: PeriodKind, key: string, seq: number, reports: ScopeReport[]): Promise<void> {
    const id = periodId(groupId, kind, key);
    for (const report of reports) {
      const _id = `${id}|${report.scope}`;
      try {
        await this.rollups.replaceOne(
          { _id, seq: { $lte: seq } },
          { _id, periodId: id, groupId, kind, key, scope: report.scope, seq, report },
          { upsert: true },
        );
      } catch (error) {
        // A refresh that read later rows got there first.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    await this.rollups.deleteMany({ periodId: id, seq: { $lt: seq } });
    await this.periods.updateOne(
      { _id: id, dirtySeq: seq },
      { $set: { stale: false, builtSeq: seq, builtAt: new Date() } },
    );
  }

  async scope(groupId: string, kind: PeriodKind, key: string, scope: ScopeKey): Promise<ScopeReport | null> {
    const rollup = await this.rollups.findById(`${periodId(groupId, kind, key)}|${scope}`).lean<Rollup>();
    return rollup?.report ?? null;
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.rollups.deleteMany({ groupId });
    await this.periods.deleteMany({ groupId });
  }
}
