import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { LANGUAGES, type Language } from '@complaints/domain';
import type { ReportSettings } from '../figures/build-report';

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  timeZone: 'Asia/Shanghai',
  recurringThreshold: 3,
  topItems: 10,
  language: 'zh-CN',
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
  // Optional: the settings were three fields before the scheduled reports were mailed.
  language: z.enum(LANGUAGES).default('zh-CN'),
});

@Schema({ collection: 'report_settings', versionKey: false })
export class StoredReportSettings {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) timeZone!: string;
  @Prop({ required: true }) recurringThreshold!: number;
  @Prop({ required: true }) topItems!: number;
  /** Missing in settings stored before reports were mailed: zh-CN. */
  @Prop({ type: String }) language?: Language;
}
export const StoredReportSettingsSchema = SchemaFactory.createForClass(StoredReportSettings);

/**
 * How long a group's settings are taken from memory. Only this service writes them (PUT
 * /v1/admin/report-settings), and a write here drops the process's copy at once; another replica
 * may go on with the old ones this long, which at worst shapes a report as before an admin's
 * change for a few seconds. The rollup refresher and a recut read them fresh (see `fresh`), so
 * stored rollups are always cut with the settings in the store.
 */
const SETTINGS_CACHE_MS = 5_000;

type Settings = ReportSettings & { isDefault: boolean };

@Injectable()
export class ReportSettingsRepository {
  private readonly cached = new Map<string, { settings: Settings; until: number }>();

  constructor(@InjectModel(StoredReportSettings.name) private readonly settings: Model<StoredReportSettings>) {}

  async get(groupId: string, options: { fresh?: boolean } = {}): Promise<Settings> {
    const hit = this.cached.get(groupId);
    if (!options.fresh && hit && hit.until > Date.now()) return hit.settings;
    const stored = await this.settings.findById(groupId).lean<StoredReportSettings>();
    const settings = stored
      ? {
          timeZone: stored.timeZone,
          recurringThreshold: stored.recurringThreshold,
          topItems: stored.topItems,
          language: stored.language ?? DEFAULT_REPORT_SETTINGS.language,
          isDefault: false,
        }
      : { ...DEFAULT_REPORT_SETTINGS, isDefault: true };
    this.cached.set(groupId, { settings, until: Date.now() + SETTINGS_CACHE_MS });
    return settings;
  }

  async put(groupId: string, settings: ReportSettings): Promise<void> {
    this.cached.delete(groupId);
    await this.settings.replaceOne({ _id: groupId }, { _id: groupId, ...settings }, { upsert: true });
    this.cached.delete(groupId);
  }
}
