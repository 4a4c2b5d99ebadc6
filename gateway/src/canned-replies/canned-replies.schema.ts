import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A group's canned first replies (常用答复): one document per group, replaced whole. */
@Schema({ collection: 'canned_replies', versionKey: false })
export class CannedRepliesRecord {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ type: [String], required: true }) replies!: string[];
  @Prop({ required: true }) updatedAt!: Date;
  /** Who set them: an API key id or `staff:<id>`. */
  @Prop({ required: true }) updatedBy!: string;
}

export const CannedRepliesSchema = SchemaFactory.createForClass(CannedRepliesRecord);
