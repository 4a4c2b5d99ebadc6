import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';
import type { Channel, ComplainantType, Language, Status } from '@complaints/domain';

/** AES-256-GCM of the name, contact and unit, with the id of the key (see personal-data/key-ring.ts). */
@Schema({ _id: false })
export class SealedRecord {
  @Prop({ required: true }) keyId!: string;
  @Prop({ required: true }) iv!: string;
  @Prop({ required: true }) data!: string;
}

/**
 * The complainant. Name, contact and unit are personal data: stored only sealed, never in the
 * clear (not even the contact for searching: `key` is its blind index). Erasure empties both.
 */
@Schema({ _id: false })
export class ComplainantRecord {
  @Prop({ required: true, type: String }) type!: ComplainantType;
  @Prop({ default: false }) anchorTenant!: boolean;
  @Prop({ type: SealedRecord, default: null }) sealed!: SealedRecord | null;
  /** Blind index of the contact (HMAC): finds one complainant's complaints; the pseudonym on the bus. */
  @Prop({ default: '' }) key!: string;
  /** When the personal data was erased (retention or an erasure request); null while held. */
  @Prop({ type: Date, default: null }) erasedAt!: Date | null;
}

@Schema({ _id: false })
export class ActorField {
  @Prop({ required: true }) kind!: string;
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) name!: string;
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
  /** Who may see it when confidential (保密服务): staff ids of the group. */
  @Prop({ type: [String], default: [] }) confidentialStaffIds!: string[];
  @Prop({ default: 0 }) coComplainantCount!: number;
  @Prop({ default: '' }) categoryHint!: string;
  @Prop({ default: '' }) severityHint!: string;
  @Prop({ default: '' }) regionId!: string;
  @Prop({ default: '' }) involvedDepartment!: string;
  @Prop({ default: '' }) involvedStaff!: string;
  @Prop({ default: '' }) serviceItem!: string;
  @Prop({ default: false }) resolvedAtFirstContact!: boolean;
  @Prop({ default: '' }) firstContactAnswer!: string;
  /** The first-contact owner (首问责任制); never changes. */
  @Prop({ required: true, type: ActorField }) registeredBy!: ActorField;
  /** The caller's Idempotency-Key, or `auto:<id>`; unique per group (a unique index needs a value). */
  @Prop({ required: true }) idempotencyKey!: string;
  @Prop({ default: '' }) requestHash!: string;
  // The classification as routing decided it, and whether a deadline was missed: kept here
  // from events so that partners can filter their lists by them.
  @Prop({ default: '' }) category!: string;
  @Prop({ default: '' }) severity!: string;
  @Prop({ default: '' }) department!: string;
  @Prop({ default: false }) overdue!: boolean;
  /** When the lifecycle snapshot the status comes from happened: an older event never overwrites a newer one. */
  @Prop({ type: Date, default: null }) lifecycleAt?: Date | null;
  @Prop({ default: 0 }) attachmentCount!: number;
  /** When it was closed or withdrawn: the retention period counts from here. */
  @Prop({ type: Date, default: null }) closedAt!: Date | null;
  @Prop({ type: [PendingEvent], default: [] }) outbox!: PendingEvent[];
  createdAt!: Date;
}

export type ComplaintDocument = HydratedDocument<ComplaintRecord>;
export const ComplaintSchema = SchemaFactory.createForClass(ComplaintRecord);
ComplaintSchema.index({ groupId: 1, idempotencyKey: 1 }, { unique: true });
// Lists: newest received first, ties broken by id, for stable cursor pages.
ComplaintSchema.index({ groupId: 1, receivedAt: -1, _id: -1 });
// Erasure requests find one complainant's complaints by the blind index of the contact.
ComplaintSchema.index({ groupId: 1, 'complainant.key': 1 });

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
