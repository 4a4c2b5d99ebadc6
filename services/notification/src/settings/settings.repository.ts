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

@Injectable()
export class SettingsRepository {
  constructor(@InjectModel(GroupSettings.name) private readonly settings: Model<GroupSettings>) {}

  async forGroup(groupId: string): Promise<{ settings: NotificationSettings; isDefault: boolean }> {
    const stored = await this.settings.findById(groupId).lean<GroupSettings>();
    if (!stored) return { settings: DEFAULT_SETTINGS, isDefault: true };
    // Validated on write; parsing again fills defaults added since.
    return { settings: notificationSettings.parse(stored.settings), isDefault: false };
  }

  async put(groupId: string, body: unknown, by: string): Promise<NotificationSettings> {
    const parsed = notificationSettings.safeParse(body);
    if (!parsed.success) throw invalidArgument('notification settings', parsed.error.issues);
    const { settings: current } = await this.forGroup(groupId);
    // Through JSON: absent providers must stay absent, not be stored as null.
    const settings = JSON.parse(JSON.stringify(keepSecrets(parsed.data, current))) as NotificationSettings;
    await this.settings.updateOne({ _id: groupId }, { $set: { settings, updatedBy: by } }, { upsert: true });
    return settings;
  }
}
