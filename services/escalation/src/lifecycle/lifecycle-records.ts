import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import type { LifecycleState } from './types';

/**
 * A complaint's lifecycle as it stands (status, level, deadlines met and missed, breaches,
 * extensions, plan, resolution, callbacks), kept in escalation's own database: Temporal forgets
 * a workflow when its retention ends after closing, the complaint's record (台账) must not.
 * The workflow still decides what may happen next; this is what it has decided so far.
 */
@Schema({ collection: 'lifecycle_records', versionKey: false, minimize: false })
export class LifecycleRecord {
  /** The complaint id (one lifecycle per complaint). */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  /** The state's event count: a later state has a higher one. */
  @Prop({ required: true }) seq!: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) state!: LifecycleState;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}
export const LifecycleRecordSchema = SchemaFactory.createForClass(LifecycleRecord);

/** Read and written by `_id` alone (the complaint id). */
@Injectable()
export class LifecycleRecords {
  constructor(@InjectModel(LifecycleRecord.name) private readonly records: Model<LifecycleRecord>) {}

  async read(groupId: string, complaintId: string): Promise<LifecycleState | undefined> {
    const record = await this.records.findById(complaintId, { groupId: 1, state: 1 }).lean<LifecycleRecord>();
    return record?.groupId === groupId ? record.state : undefined;
  }

  /**
   * Stores the state unless a later one is stored already. The workflow's activity and the
   * action that just changed it both write; a filter on `seq` would not be a key lookup, so the
   * write replaces by `_id` and, in the rare case it replaced a later state (a slow retry),
   * puts that one back.
   */
  async write(state: LifecycleState): Promise<void> {
    const before = await this.records
      .findOneAndUpdate(
        { _id: state.complaintId },
        { $set: { groupId: state.groupId, seq: state.eventSeq, state, updatedAt: new Date() } },
        { upsert: true, returnDocument: 'before' },
      )
      .lean<LifecycleRecord>();
    if (before && before.seq > state.eventSeq) {
      await this.records.updateOne(
        { _id: state.complaintId },
        { $set: { seq: before.seq, state: before.state, updatedAt: before.updatedAt } },
      );
    }
  }
}
