import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Language, PeriodKind } from '@complaints/domain';
import type { ExportFormat } from '../exports/render-export';
import type { ScopeKey } from '../figures/build-report';

/**
 * A report produced on schedule and kept for download: the group's, a region's or a property's.
 * Its heads read it without recomputation, and notification fetches it to mail it to them.
 */
@Schema({ collection: 'stored_reports', versionKey: false })
export class StoredReport {
  /** See storedReportId. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) kind!: PeriodKind;
  @Prop({ required: true }) key!: string;
  /** Missing in reports stored before every scope had its own: those are the group's. */
  @Prop({ type: String }) scope?: ScopeKey;
  /** The region's or property's name when it was produced; empty for the group. */
  @Prop({ type: String }) scopeName?: string;
  @Prop({ type: String }) language?: Language;
  @Prop({ required: true }) generatedAt!: Date;
  @Prop({ type: Buffer, required: true }) xlsx!: Buffer;
  @Prop({ type: Buffer, required: true }) csv!: Buffer;
}
export const StoredReportSchema = SchemaFactory.createForClass(StoredReport);
// One scope's reports, newest period first.
StoredReportSchema.index({ groupId: 1, scope: 1, kind: 1, key: -1 });

/** What is listed and handed over: everything but the files. */
export type StoredReportInfo = Required<Pick<StoredReport, '_id' | 'kind' | 'key' | 'generatedAt' | 'scope'>> &
  Pick<StoredReport, 'scopeName' | 'language'>;

/**
 * `group|kind|key` for the group's report (as before regions and properties had theirs), and
 * `group|kind|key|scope` for the others: one per scope and period.
 */
export function storedReportId(groupId: string, kind: PeriodKind, key: string, scope: ScopeKey): string {
  return scope === 'group' ? `${groupId}|${kind}|${key}` : `${groupId}|${kind}|${key}|${scope}`;
}

const INFO = { kind: 1, key: 1, generatedAt: 1, scope: 1, scopeName: 1, language: 1 } as const;

function withScope(report: Omit<StoredReportInfo, 'scope'> & { scope?: ScopeKey }): StoredReportInfo {
  return { ...report, scope: report.scope ?? 'group' };
}

@Injectable()
export class StoredReportsRepository {
  constructor(@InjectModel(StoredReport.name) private readonly reports: Model<StoredReport>) {}

  /** Produced again for the same period (a retried or re-triggered schedule), it replaces the last one. */
  async store(report: Omit<StoredReport, '_id' | 'scope'> & { scope: ScopeKey }): Promise<string> {
    const _id = storedReportId(report.groupId, report.kind, report.key, report.scope);
    await this.reports.replaceOne({ _id }, { _id, ...report }, { upsert: true });
    return _id;
  }

  async list(groupId: string, scope: ScopeKey): Promise<StoredReportInfo[]> {
    const filter =
      scope === 'group' ? { groupId, $or: [{ scope: 'group' }, { scope: { $exists: false } }] } : { groupId, scope };
    const found = await this.reports
      .find(filter, INFO)
      .sort({ kind: 1, key: -1 })
      .lean<(Omit<StoredReportInfo, 'scope'> & { scope?: ScopeKey })[]>();
    return found.map(withScope);
  }

  /** The reports' descriptions by `_id`, in the order asked; missing ones left out. */
  async infos(ids: readonly string[]): Promise<StoredReportInfo[]> {
    const found = await this.reports
      .find({ _id: { $in: ids } }, INFO)
      .lean<(Omit<StoredReportInfo, 'scope'> & { scope?: ScopeKey })[]>();
    const byId = new Map(found.map((report) => [report._id, withScope(report)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The file of a stored report by its `_id`, if it is the group's. */
  async fileById(
    groupId: string,
    id: string,
    format: ExportFormat,
  ): Promise<{ content: Buffer; info: StoredReportInfo } | null> {
    const report = await this.reports.findById(id, { ...INFO, groupId: 1, [format]: 1 }).lean<StoredReport>();
    if (!report || report.groupId !== groupId) return null;
    // Lean documents hold BSON Binary rather than Buffer.
    const content: unknown = report[format];
    return {
      content: Buffer.isBuffer(content) ? content : Buffer.from((content as { buffer: Uint8Array }).buffer),
      info: withScope(report),
    };
  }
}
