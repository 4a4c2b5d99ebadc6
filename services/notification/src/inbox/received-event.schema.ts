import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Every event notification has seen, once: the base of deduplicated deliveries (SPEC §7). */
@Schema({ collection: 'received_events' })
export class ReceivedEvent {
  /** The event id: a redelivered event finds itself already here. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) complaintId!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true }) occurredAt!: Date;
  @Prop({ required: true }) receivedAt!: Date;
}
export const ReceivedEventSchema = SchemaFactory.createForClass(ReceivedEvent);
ReceivedEventSchema.index({ groupId: 1, complaintId: 1, occurredAt: 1 });
