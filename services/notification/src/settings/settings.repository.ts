import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import { invalidArgument, Sealer, type SealedValue } from '@complaints/service-kit';
import { NotificationConfig } from '../config';
import {
  DEFAULT_SETTINGS,
  keepSecrets,
  notificationSettings,
  providerHostProblems,
  SECRET_MASK,
  secretsOf,
  withSecrets,
  type NotificationSettings,
  type SecretField,
} from './notification-settings';

@Schema({ collection: 'settings', timestamps: true })
export class GroupSettings {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  /** The settings with every secret masked; the secrets are in `sealed`. */
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) settings!: unknown;
  /**
   * Each secret sealed (SECRET_SEALING_KEYS) and bound to its group and field. Absent: settings
   * stored before sealing, with their secrets in `settings`; sealed when next read.
   */
  @Prop({ type: MongooseSchema.Types.Mixed }) sealed?: Partial<Record<SecretField, SealedValue>>;
  @Prop({ default: '' }) updatedBy!: string;
  updatedAt?: Date;
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

  private readonly providerHosts: readonly string[];

  constructor(
    @InjectModel(GroupSettings.name) private readonly settings: Model<GroupSettings>,
    private readonly sealer: Sealer,
    config: NotificationConfig,
  ) {
    this.providerHosts = config.sending.providerHosts;
  }

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
    const parsed = notificationSettings.parse(stored.settings);
    const sealed = stored.sealed;
    if (!sealed) {
      await this.write(groupId, parsed, stored.updatedBy, { updatedAt: stored.updatedAt });
      return { settings: parsed, isDefault: false };
    }
    const settings = withSecrets(parsed, (field) => {
      const value = sealed[field];
      return value && this.sealer.open(`${groupId}:${field}`, value);
    });
    // Sealed under a key being rotated away: sealed again with the current one as it is read.
    if (Object.values(sealed).some((value) => value.keyId !== this.sealer.currentKeyId)) {
      await this.write(groupId, settings, stored.updatedBy, { updatedAt: stored.updatedAt });
    }
    return { settings, isDefault: false };
  }

  /** `unchangedSince`: only if nobody saved since it was read (re-sealing must not undo a save). */
  private async write(
    groupId: string,
    settings: NotificationSettings,
    by: string,
    unchangedSince?: { updatedAt: Date | undefined },
  ) {
    const sealed: Partial<Record<SecretField, SealedValue>> = {};
    for (const [field, secret] of Object.entries(secretsOf(settings)) as [SecretField, string][]) {
      sealed[field] = this.sealer.seal(`${groupId}:${field}`, secret);
    }
    // Through JSON: absent providers must stay absent, not be stored as null.
    const masked = JSON.parse(JSON.stringify(withSecrets(settings, () => SECRET_MASK))) as NotificationSettings;
    if (unchangedSince) {
      await this.settings.updateOne(
        { _id: groupId, updatedAt: unchangedSince.updatedAt ?? { $exists: false } },
        { $set: { settings: masked, sealed, updatedBy: by } },
        { timestamps: false },
      );
      return;
    }
    await this.settings.updateOne(
      { _id: groupId },
      { $set: { settings: masked, sealed, updatedBy: by } },
      { upsert: true },
    );
  }

  async put(groupId: string, body: unknown, by: string): Promise<NotificationSettings> {
    const parsed = notificationSettings.safeParse(body);
    if (!parsed.success) throw invalidArgument('notification settings', parsed.error.issues);
    const { settings: current } = await this.forGroup(groupId, { fresh: true });
    const settings = JSON.parse(JSON.stringify(keepSecrets(parsed.data, current))) as NotificationSettings;
    const outside = providerHostProblems(settings, this.providerHosts);
    if (outside.length > 0) throw invalidArgument('notification settings', outside);
    await this.write(groupId, settings, by);
    this.cache.delete(groupId);
    return settings;
  }
}
