import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

/**
 * A scheduled report handed over by reporting, and its deliveries: what lists a report's
 * deliveries by `_id` (no index on the deliveries of every event for it), and says that a report
 * was handed over although its scope has no head to send it to.
 */
@Schema({ collection: 'report_deliveries', versionKey: false })
export class ReportDeliveries {
  /** The stored report's id at reporting. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ type: [String], default: [] }) deliveryIds!: string[];
  @Prop({ required: true }) handedOverAt!: Date;
}
export const ReportDeliveriesSchema = SchemaFactory.createForClass(ReportDeliveries);

@Injectable()
export class ReportDeliveriesRepository {
  constructor(@InjectModel(ReportDeliveries.name) private readonly reports: Model<ReportDeliveries>) {}

  /** Handed over again (a retry), the ids add up: a head added meanwhile is listed beside the others. */
  async add(groupId: string, reportId: string, deliveryIds: readonly string[], now = new Date()): Promise<void> {
    await this.reports.updateOne(
      { _id: reportId },
      deliveryIds.length > 0
        ? { $setOnInsert: { groupId, handedOverAt: now }, $addToSet: { deliveryIds: { $each: deliveryIds } } }
        : { $setOnInsert: { groupId, handedOverAt: now, deliveryIds: [] } },
      { upsert: true },
    );
  }

  /** The delivery ids of each report of the group that was handed over, by report id. */
  async deliveryIds(groupId: string, reportIds: readonly string[]): Promise<Map<string, string[]>> {
    if (reportIds.length === 0) return new Map();
    const found = await this.reports
      .find({ _id: { $in: reportIds } }, { groupId: 1, deliveryIds: 1 })
      .lean<Pick<ReportDeliveries, '_id' | 'groupId' | 'deliveryIds'>[]>();
    return new Map(
      found.filter((report) => report.groupId === groupId).map((report) => [report._id, report.deliveryIds ?? []]),
    );
  }
}
