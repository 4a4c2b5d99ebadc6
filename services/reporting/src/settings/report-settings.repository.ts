import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import type { ReportSettings } from '../figures/build-report';

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  timeZone: 'Asia/Shanghai',
  recurringThreshold: 3,
  topItems: 10,
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What a group may set; each wrong field is named in the 400. */
export const reportSettingsInput = z.strictObject({
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  recurringThreshold: z.number().int().min(2).max(1000),
  topItems: z.number().int().min(1).max(100),
});

@Schema({ collection: 'report_settings', versionKey: false })
export class StoredReportSettings {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) timeZone!: string;
  @Prop({ required: true }) recurringThreshold!: number;
  @Prop({ required: true }) topItems!: number;
}
export const StoredReportSettingsSchema = SchemaFactory.createForClass(StoredReportSettings);

@Injectable()
export class ReportSettingsRepository {
  constructor(@InjectModel(StoredReportSettings.name) private readonly settings: Model<StoredReportSettings>) {}

  async get(groupId: string): Promise<ReportSettings & { isDefault: boolean }> {
    const stored = await this.settings.findById(groupId).lean<StoredReportSettings>();
    if (!stored) return { ...DEFAULT_REPORT_SETTINGS, isDefault: true };
    return {
      timeZone: stored.timeZone,
      recurringThreshold: stored.recurringThreshold,
      topItems: stored.topItems,
      isDefault: false,
    };
  }

  async put(groupId: string, settings: ReportSettings): Promise<void> {
    await this.settings.replaceOne({ _id: groupId }, { _id: groupId, ...settings }, { upsert: true });
  }
}
