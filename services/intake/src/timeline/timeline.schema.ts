import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export interface ActorRecord {
  kind: string;
  id: string;
  name: string;
}

/** One entry of a complaint's append-only timeline (台账). Never updated, never deleted. */
@Schema({ collection: 'timeline_entries' })
export class TimelineEntryRecord {
  /** `<complaintId>:<seq>`: two writers racing for the same place cannot both win. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) complaintId!: string;
  @Prop({ required: true }) seq!: number;
  /** RFC 3339 text, hashed as written. */
  @Prop({ required: true }) at!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true, type: Object }) actor!: ActorRecord;
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) details!: Record<string, unknown>;
  /** What produced it (an event id): the same source never adds a second entry. */
  @Prop({ required: true }) sourceId!: string;
  @Prop({ default: '' }) prevHash!: string;
  @Prop({ required: true }) hash!: string;
}
export const TimelineEntrySchema = SchemaFactory.createForClass(TimelineEntryRecord);
TimelineEntrySchema.index({ complaintId: 1, sourceId: 1 }, { unique: true });
TimelineEntrySchema.index({ complaintId: 1, seq: 1 });
