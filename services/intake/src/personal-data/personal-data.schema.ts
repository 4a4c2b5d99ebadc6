import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ActorField } from '../complaints/complaint.schema';

/** One view of unmasked personal data (调阅记录, SPEC §9): who, when, which complaint, fields, why. Never changed. */
@Schema({ collection: 'personal_data_access_log' })
export class AccessLogRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true, type: ActorField }) actor!: ActorField;
  @Prop({ required: true }) complaintId!: string;
  @Prop({ required: true }) complaintNumber!: string;
  @Prop({ type: [String], required: true }) fields!: string[];
  @Prop({ required: true }) reason!: string;
}
export const AccessLogSchema = SchemaFactory.createForClass(AccessLogRecord);
AccessLogSchema.index({ groupId: 1, at: -1, _id: -1 });
AccessLogSchema.index({ groupId: 1, complaintId: 1, at: -1 });

/**
 * An erasure request for one complainant. The contact it was made with is not kept (it is the
 * very personal data being erased): the complaints found by its blind index are.
 */
@Schema({ collection: 'erasure_requests' })
export class ErasureRequestRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) requestedAt!: Date;
  @Prop({ required: true, type: ActorField }) requestedBy!: ActorField;
  @Prop({ type: [String], default: [] }) complaintIds!: string[];
}
export const ErasureRequestSchema = SchemaFactory.createForClass(ErasureRequestRecord);

/** A service erased what it held of one complaint of a request; `_id` makes each confirmation count once. */
@Schema({ collection: 'erasure_confirmations' })
export class ErasureConfirmationRecord {
  /** `<request>:<service>:<complaint>` */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true, index: true }) requestId!: string;
  @Prop({ required: true }) service!: string;
  @Prop({ required: true }) complaintId!: string;
  @Prop({ required: true }) records!: number;
  @Prop({ required: true }) at!: Date;
}
export const ErasureConfirmationSchema = SchemaFactory.createForClass(ErasureConfirmationRecord);
