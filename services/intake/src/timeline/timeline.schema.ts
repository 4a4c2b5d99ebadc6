import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export interface ActorRecord {
  kind: string;
  id: string;
  name: string;
  /** A staff member who acted through a partner's API key: that key, hashed with the entry. */
  via?: { keyId: string; name: string };
}

/**
 * The end of a complaint's chain, kept on the complaint record itself (`timeline`): the last
 * seq and hash to link to, and the sourceId of every entry in order (`sources[i]` made entry
 * i + 1), which makes an append idempotent without a query. Set from entries that exist, so it
 * may lag the entries (a crash between the entry and the head): an append that finds its place
 * taken reads that entry and catches up (TimelineRepository.place). It leads in one case only:
 * a registration stores the complaint with the head of its first entry, then writes the entry;
 * stopped in between, the relay writes it from the event before publishing.
 */
@Schema({ _id: false })
export class TimelineHead {
  @Prop({ default: 0 }) seq!: number;
  @Prop({ default: '' }) hash!: string;
  @Prop({ type: [String], default: [] }) sources!: string[];
}
export const EMPTY_HEAD: TimelineHead = { seq: 0, hash: '', sources: [] };

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
  /** The timeline key (TIMELINE_KEYS) the hash is an HMAC under. */
  @Prop({ required: true }) keyId!: string;
  @Prop({ required: true }) hash!: string;
}
export const TimelineEntrySchema = SchemaFactory.createForClass(TimelineEntryRecord);
TimelineEntrySchema.index({ complaintId: 1, sourceId: 1 }, { unique: true });
TimelineEntrySchema.index({ complaintId: 1, seq: 1 });
