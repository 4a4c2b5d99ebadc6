import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

/** A group the platform operator suspended: present while suspended. */
@Schema({ collection: 'suspended_groups', versionKey: false })
export class SuspendedGroup {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) since!: Date;
}
export const SuspendedGroupSchema = SchemaFactory.createForClass(SuspendedGroup);

/** Reused like the group's settings (SETTINGS_CACHE_MS): every event asks. */
const REUSE_MS = 10_000;

@Injectable()
export class SuspendedGroupsRepository {
  private readonly cache = new Map<string, { at: number; suspended: Promise<boolean> }>();

  constructor(@InjectModel(SuspendedGroup.name) private readonly groups: Model<SuspendedGroup>) {}

  async isSuspended(groupId: string, now = Date.now()): Promise<boolean> {
    const cached = this.cache.get(groupId);
    if (cached && now - cached.at < REUSE_MS) return cached.suspended;
    const suspended = this.groups
      .exists({ _id: groupId })
      .exec()
      .then((found) => found !== null);
    this.cache.set(groupId, { at: now, suspended });
    suspended.catch(() => this.cache.delete(groupId));
    return suspended;
  }

  async set(groupId: string, suspended: boolean, now = new Date()): Promise<void> {
    if (suspended) await this.groups.updateOne({ _id: groupId }, { $setOnInsert: { since: now } }, { upsert: true });
    else await this.groups.deleteOne({ _id: groupId });
    this.cache.delete(groupId);
  }
}
