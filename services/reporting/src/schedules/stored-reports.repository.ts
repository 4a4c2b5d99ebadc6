import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { PeriodKind } from '@complaints/domain';
import type { ExportFormat } from '../exports/render-export';

/** A report produced on schedule and kept for download: headquarters read it without recomputation. */
@Schema({ collection: 'stored_reports', versionKey: false })
export class StoredReport {
  /** group|kind|key */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) kind!: PeriodKind;
  @Prop({ required: true }) key!: string;
  @Prop({ required: true }) generatedAt!: Date;
  @Prop({ type: Buffer, required: true }) xlsx!: Buffer;
  @Prop({ type: Buffer, required: true }) csv!: Buffer;
}
export const StoredReportSchema = SchemaFactory.createForClass(StoredReport);

@Injectable()
export class StoredReportsRepository {
  constructor(@InjectModel(StoredReport.name) private readonly reports: Model<StoredReport>) {}

  /** Produced again for the same period (a retried or re-triggered schedule), it replaces the last one. */
  async store(report: Omit<StoredReport, '_id'>): Promise<void> {
    const _id = `${report.groupId}|${report.kind}|${report.key}`;
    await this.reports.replaceOne({ _id }, { _id, ...report }, { upsert: true });
  }

  async list(groupId: string): Promise<Pick<StoredReport, 'kind' | 'key' | 'generatedAt'>[]> {
    return this.reports
      .find({ groupId }, { kind: 1, key: 1, generatedAt: 1 })
      .sort({ kind: 1, key: -1 })
      .lean<Pick<StoredReport, 'kind' | 'key' | 'generatedAt'>[]>();
  }

  async file(groupId: string, kind: PeriodKind, key: string, format: ExportFormat): Promise<Buffer | null> {
    const report = await this.reports.findById(`${groupId}|${kind}|${key}`, { [format]: 1 }).lean<StoredReport>();
    if (!report) return null;
    // Lean documents hold BSON Binary rather than Buffer.
    const content: unknown = report[format];
    return Buffer.isBuffer(content) ? content : Buffer.from((content as { buffer: Uint8Array }).buffer);
  }
}
