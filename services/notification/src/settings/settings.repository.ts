import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import { invalidArgument } from '@complaints/service-kit';
import {
  DEFAULT_SETTINGS,
  keepSecrets,
  notificationSettings,
  type NotificationSettings,
} from './notification-settings';

@Schema({ collection: 'settings', timestamps: true })
export class GroupSettings {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) settings!: unknown;
  @Prop({ default: '' }) updatedBy!: string;
}
export const GroupSettingsSchema = SchemaFactory.createForClass(GroupSettings);

/**
 * How long a group's settings are reused without reading them again. Every event needs them;
 * they change when an admin saves them, which this process sees at once (the cache is dropped on
 * its own writes); another replica sees the change within this time, as if the admin had saved
 * a few seconds later.
 */
export const SETTINGS_CACHE_MS = 10_000;

type GroupSettingsView = { settings: NotificationSettings; isDefault: boolean };

@Injectable()
export class SettingsRepository {
  private readonly cache = new Map<string, { at: number; value: Promise<GroupSettingsView> }>();

  constructor(@InjectModel(GroupSettings.name) private readonly settings: Model<GroupSettings>) {}

  /** `fresh`: read the store (the admin API shows what is saved, whichever replica saved it). */
  async forGroup(groupId: string, options: { fresh?: boolean } = {}): Promise<GroupSettingsView> {
    const cached = this.cache.get(groupId);
    if (!options.fresh && cached && Date.now() - cached.at < SETTINGS_CACHE_MS) return cached.value;
    const value = this.read(groupId);
    this.cache.set(groupId, { at: Date.now(), value });
    // A failed read must not be remembered.
    value.catch(() => {
      if (this.cache.get(groupId)?.value === value) this.cache.delete(groupId);
    });
    return value;
  }

  private async read(groupId: string): Promise<GroupSettingsView> {
    const stored = await this.settings.findById(groupId).lean<GroupSettings>();
    if (!stored) return { settings: DEFAULT_SETTINGS, isDefault: true };
    // Validated on write; parsing again fills defaults added since.
    return { settings: notificationSettings.parse(stored.settings), isDefault: false };
  }

  async put(groupId: string, body: unknown, by: string): Promise<NotificationSettings> {
    const parsed = notificationSettings.safeParse(body);
    if (!parsed.success) throw invalidArgument('notification settings', parsed.error.issues);
    const { settings: current } = await this.forGroup(groupId, { fresh: true });
    // Through JSON: absent providers must stay absent, not be stored as null.
    const settings = JSON.parse(JSON.stringify(keepSecrets(parsed.data, current))) as NotificationSettings;
    await this.settings.updateOne({ _id: groupId }, { $set: { settings, updatedBy: by } }, { upsert: true });
    this.cache.delete(groupId);
    return settings;
  }
}
