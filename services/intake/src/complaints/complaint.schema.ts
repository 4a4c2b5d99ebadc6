import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type HydratedDocument } from 'mongoose';
import type { Channel, ComplainantType, Language, Status } from '@complaints/domain';
import type { ActorRef } from '@complaints/service-kit';
import { TimelineHead } from '../timeline/timeline.schema';

/** The queues' sort key of a complaint no deadline runs for: after every one that has one. */
export const NO_DEADLINE = new Date('9999-12-31T00:00:00Z');

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

/** A reward or penalty as stored: the proto's fields, the time a Date. */
export interface StaffConsequenceRecord {
  staffId: string;
  staffName: string;
  kind: string;
  measure: string;
  amount: string;
  reason: string;
  decidedBy: ActorRef;
  decidedLevel: string;
  decidedAt: Date;
}

/** A quality spot check (品质部抽查) of the closed complaint. */
@Schema({ _id: false })
export class SpotCheckField {
  @Prop({ required: true }) verdict!: string;
  @Prop({ required: true }) findings!: string;
  @Prop({ default: '' }) followUp!: string;
  @Prop({ required: true, type: ActorField }) actor!: ActorField;
  @Prop({ required: true }) at!: Date;
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
  /** The staff member complained about, from the directory; '' when not known (involvedStaff may still name them). */
  @Prop({ default: '' }) involvedStaffId?: string;
  /** Rewards and penalties decided after the complaint (奖惩), oldest first. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) consequences?: StaffConsequenceRecord[];
  @Prop({ default: '' }) serviceItem!: string;
  @Prop({ default: false }) resolvedAtFirstContact!: boolean;
  @Prop({ default: '' }) firstContactAnswer!: string;
  /** By when the complainant asked for a resolution (SPEC §5); null: no date asked. */
  @Prop({ type: Date, default: null }) requestedBy?: Date | null;
  /** When what the complaint is about happened; null: not known. */
  @Prop({ type: Date, default: null }) incidentAt?: Date | null;
  /** A government referral's referring body and ticket number (the reply goes back under it); '' otherwise. */
  @Prop({ default: '' }) referralAgency?: string;
  @Prop({ default: '' }) referralTicket?: string;
  /** Quality spot checks (品质部抽查) once closed, oldest first. */
  @Prop({ type: [SpotCheckField], default: [] }) spotChecks?: SpotCheckField[];
  /** The first-contact owner (首问责任制); never changes. */
  @Prop({ required: true, type: ActorField }) registeredBy!: ActorField;
  /**
   * The caller's Idempotency-Key, or `auto:<id>`. What decides a replay is the keyed document
   * `complaint_idempotency` (`<group>:<key>`); the unique index stays as a second guard.
   */
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
  /**
   * Ids of the events intake's own writes announced, each added in the write that made the
   * change: the outbox relay publishes a pending event only if its change was stored.
   */
  @Prop({ type: [String], default: [] }) eventIds!: string[];
  /** The end of the timeline's hash chain (see TimelineHead). */
  @Prop({ type: TimelineHead, default: () => ({ seq: 0, hash: '', sources: [] }) }) timeline!: TimelineHead;
  // Where it stands in the queues, kept from routing's and escalation's events (records from
  // before these fields have them from their next event).
  /** The staff member handling it (routing's choice, or the last reassignment). */
  @Prop({ default: '' }) handlerId?: string;
  @Prop({ default: '' }) handlerName?: string;
  @Prop({ default: '' }) departmentId?: string;
  /** The nearest running deadline (firstReplyBy, resolveBy, callbackBy); '' when none runs. */
  @Prop({ default: '' }) nextDeadline?: string;
  @Prop({ type: Date, default: null }) nextDeadlineAt?: Date | null;
  /** nextDeadlineAt, or NO_DEADLINE when none runs: the queues' order (a null would sort first). */
  @Prop({ type: Date, default: () => NO_DEADLINE }) queueAt?: Date;
  /** The role level that must decide a proposed plan or a pending extension; '' when none waits. */
  @Prop({ default: '' }) awaitingApprovalLevel?: string;
  /** What a search finds it by: the terms of its description, location, demand and notes (search/search-terms.ts). */
  @Prop({ type: [String], default: [] }) searchTerms?: string[];
  /** Counts the writes: tells a process that remembers the record whether another wrote it since. */
  @Prop({ default: 0 }) version?: number;
  createdAt!: Date;
}

export type ComplaintDocument = HydratedDocument<ComplaintRecord>;
export const ComplaintSchema = SchemaFactory.createForClass(ComplaintRecord);
ComplaintSchema.index({ groupId: 1, idempotencyKey: 1 }, { unique: true });
// Lists: newest received first, ties broken by id, for stable cursor pages.
ComplaintSchema.index({ groupId: 1, receivedAt: -1, _id: -1 });
// Erasure requests find one complainant's complaints by the blind index of the contact.
ComplaintSchema.index({ groupId: 1, 'complainant.key': 1 });
// Queues: nearest deadline first, ties broken by id, for stable cursor pages.
ComplaintSchema.index({ groupId: 1, queueAt: 1, _id: 1 });
// Search by words: every term asked for must be among the complaint's.
ComplaintSchema.index({ groupId: 1, searchTerms: 1 });
// A property's open complaints, nearest deadline first (listed on the desk's handover).
ComplaintSchema.index({ groupId: 1, propertyId: 1, status: 1, queueAt: 1 });

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

/**
 * An Idempotency-Key taken: `_id` `<group>:<key>`. Created before anything else of a
 * registration, so the unique `_id` decides which request registers; it names the complaint id
 * that request uses, and every later request with the key answers with that complaint.
 */
@Schema({ collection: 'complaint_idempotency' })
export class IdempotencyRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) complaintId!: string;
  /** Emptied with the complainant's personal data (it was computed over a body holding it). */
  @Prop({ default: '' }) requestHash!: string;
  @Prop({ required: true }) createdAt!: Date;
}
export const IdempotencySchema = SchemaFactory.createForClass(IdempotencyRecord);

/**
 * An event not yet confirmed on the stream (`_id` its event id): written before the change it
 * announces, deleted once published. The outbox relay reads this collection whole: it only ever
 * holds what is in flight.
 */
@Schema({ collection: 'pending_outbox' })
export class PendingEventRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  /** The envelope's complaintId: the complaint, or for a handover event the record it changed. */
  @Prop({ required: true }) complaintId!: string;
  @Prop({ required: true, type: Buffer }) envelope!: Buffer;
  @Prop({ required: true }) createdAt!: Date;
}
export const PendingEventSchema = SchemaFactory.createForClass(PendingEventRecord);

/**
 * The complaints closed or withdrawn within one UTC hour (`_id` `YYYY-MM-DDTHH`), recorded before
 * the write that closes them: the retention pass reads only the hours that have fallen due.
 * Keyed by the close, not by the due date, so a changed retention period needs no rewrite.
 */
@Schema({ collection: 'retention_hours' })
export class RetentionHour {
  @Prop({ required: true }) _id!: string;
  @Prop({ type: [String], default: [] }) complaintIds!: string[];
}
export const RetentionHourSchema = SchemaFactory.createForClass(RetentionHour);

/** Where intake's background passes stand (`_id` the pass), e.g. the last retention hour done. */
@Schema({ collection: 'maintenance_state' })
export class MaintenanceState {
  @Prop({ required: true }) _id!: string;
  @Prop({ default: '' }) through!: string;
}
export const MaintenanceStateSchema = SchemaFactory.createForClass(MaintenanceState);
