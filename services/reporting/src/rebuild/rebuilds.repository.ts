import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';

export type RebuildState = 'none' | 'running' | 'done' | 'failed';

/** The last rebuild of a group's read models; survives a restart, which resumes a running one. */
@Schema({ collection: 'rebuilds', versionKey: false })
export class Rebuild {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) status!: RebuildState;
  @Prop({ type: Date, required: true }) startedAt!: Date;
  @Prop({ type: Date, default: null }) finishedAt!: Date | null;
  /** Written as it goes: a running rebuild whose heartbeat stopped was cut off by a restart. */
  @Prop({ type: Date, required: true }) heartbeatAt!: Date;
  @Prop({ default: 0 }) eventsRead!: number;
  @Prop({ default: 0 }) eventsApplied!: number;
  @Prop({ default: 0 }) complaints!: number;
  @Prop({ default: '' }) error!: string;
}
export const RebuildSchema = SchemaFactory.createForClass(Rebuild);

export interface RebuildStatusView {
  status: RebuildState;
  startedAt: Date | null;
  finishedAt: Date | null;
  eventsRead: number;
  eventsApplied: number;
  complaints: number;
  error: string;
}

@Injectable()
export class RebuildsRepository {
  constructor(@InjectModel(Rebuild.name) private readonly rebuilds: Model<Rebuild>) {}

  /** Marks a rebuild running unless one already is; false when one is. */
  async claim(groupId: string): Promise<boolean> {
    const now = new Date();
    try {
      const result = await this.rebuilds.updateOne(
        { _id: groupId, status: { $ne: 'running' } },
        {
          $set: {
            status: 'running',
            startedAt: now,
            heartbeatAt: now,
            finishedAt: null,
            eventsRead: 0,
            eventsApplied: 0,
            complaints: 0,
            error: '',
          },
        },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (error) {
      // The upsert met the running rebuild's document.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async progress(groupId: string, eventsRead: number, eventsApplied: number): Promise<void> {
    await this.rebuilds.updateOne({ _id: groupId }, { $set: { eventsRead, eventsApplied, heartbeatAt: new Date() } });
  }

  async finish(
    groupId: string,
    outcome: { status: 'done' | 'failed'; complaints: number; error: string },
  ): Promise<void> {
    await this.rebuilds.updateOne(
      { _id: groupId },
      { $set: { ...outcome, finishedAt: new Date(), heartbeatAt: new Date() } },
    );
  }

  async status(groupId: string): Promise<RebuildStatusView> {
    const rebuild = await this.rebuilds.findById(groupId).lean<Rebuild>();
    if (!rebuild) {
      return {
        status: 'none',
        startedAt: null,
        finishedAt: null,
        eventsRead: 0,
        eventsApplied: 0,
        complaints: 0,
        error: '',
      };
    }
    const { _id, heartbeatAt: _heartbeat, ...view } = rebuild;
    return view;
  }

  /** Running rebuilds nobody has worked on since `before`: their process is gone. */
  async abandoned(before: Date): Promise<string[]> {
    const found = await this.rebuilds
      .find({ status: 'running', heartbeatAt: { $lt: before } }, { _id: 1 })
      .lean<Rebuild[]>();
    return found.map((rebuild) => rebuild._id);
  }
}
