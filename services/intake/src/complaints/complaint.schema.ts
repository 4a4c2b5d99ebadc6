import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import type { Channel, ComplainantType, Language, Status } from '@complaints/domain';

@Schema({ _id: false })
export class ComplainantRecord {
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) contact!: string;
  @Prop({ required: true, type: String }) type!: ComplainantType;
  @Prop({ default: '' }) unit!: string;
  @Prop({ default: false }) anchorTenant!: boolean;
}

/** An event stored with the complaint in the same write, then published (transactional outbox). */
@Schema({ _id: false })
export class PendingEvent {
  @Prop({ required: true }) eventId!: string;
  @Prop({ required: true, type: Buffer }) envelope!: Buffer;
}

@Schema({ collection: 'complaints', timestamps: true })
export class ComplaintRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true, unique: true }) number!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true, type: String }) channel!: Channel;
  @Prop({ required: true }) receivedAt!: Date;
  @Prop({ required: true, type: ComplainantRecord }) complainant!: ComplainantRecord;
  @Prop({ default: '' }) location!: string;
  @Prop({ required: true }) description!: string;
  @Prop({ default: '' }) demand!: string;
  @Prop({ required: true, type: String }) status!: Status;
  @Prop({ required: true, type: String }) language!: Language;
  @Prop({ default: false }) confidential!: boolean;
  @Prop({ default: 0 }) coComplainantCount!: number;
  @Prop({ default: '' }) categoryHint!: string;
  @Prop({ default: '' }) severityHint!: string;
  @Prop({ type: [PendingEvent], default: [] }) outbox!: PendingEvent[];
  createdAt!: Date;
}

export type ComplaintDocument = HydratedDocument<ComplaintRecord>;
export const ComplaintSchema = SchemaFactory.createForClass(ComplaintRecord);

/** Where the next number of a property's day probably is (a hint; claims decide). */
@Schema({ collection: 'complaint_number_counters' })
export class NumberCounter {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) seq!: number;
}
export const NumberCounterSchema = SchemaFactory.createForClass(NumberCounter);

/** A number taken, forever: `<counter id>:<sequence>`. Numbers are never reused. */
@Schema({ collection: 'complaint_number_claims', timestamps: { createdAt: true, updatedAt: false } })
export class NumberClaim {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) counterId!: string;
  @Prop({ required: true }) seq!: number;
}
export const NumberClaimSchema = SchemaFactory.createForClass(NumberClaim);
