import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

// The handover book and the work ledger. Every read is by `_id`: an entry by its id, a property's
// day by `<group>:<property>:<day>`, its month by `<group>:<property>:<month>`, and the property's
// latest entry (what the next one carries from) by `<group>:<property>`.

export interface StaffRefRecord {
  id: string;
  name: string;
}

export interface HandoverItemRecord {
  id: string;
  text: string;
  firstEntryId: string;
  firstDay: string;
  carried: boolean;
  done: boolean;
  doneBy: StaffRefRecord | null;
  doneAt: Date | null;
  note: string;
}

export interface ChecklistAnswerRecord {
  item: string;
  checked: boolean;
  note: string;
}

export interface OpenComplaintRecord {
  id: string;
  number: string;
  status: string;
  severity: string;
  category: string;
  handlerName: string;
  nextDeadlineAt: Date | null;
  overdue: boolean;
}

@Schema({ collection: 'handover_entries' })
export class HandoverEntryRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true }) day!: string;
  @Prop({ default: '' }) shiftName!: string;
  @Prop({ required: true }) shiftStart!: Date;
  @Prop({ required: true }) shiftEnd!: Date;
  @Prop({ type: [Object], default: [] }) onShift!: StaffRefRecord[];
  @Prop({ required: true, type: Object }) writtenBy!: StaffRefRecord;
  @Prop({ required: true }) writtenAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ type: [Object], default: [] }) items!: HandoverItemRecord[];
  @Prop({ default: '' }) residentSituations!: string;
  @Prop({ default: '' }) keysAndItems!: string;
  @Prop({ default: '' }) notices!: string;
  @Prop({ type: [Object], default: [] }) checklist!: ChecklistAnswerRecord[];
  @Prop({ type: [Object], default: [] }) openComplaints!: OpenComplaintRecord[];
  @Prop({ required: true }) openComplaintsAt!: Date;
  @Prop({ default: false }) openComplaintsTruncated!: boolean;
  @Prop({ type: Object, default: null }) signedBy!: StaffRefRecord | null;
  @Prop({ type: Date, default: null }) signedAt!: Date | null;
  @Prop({ default: '' }) signNote!: string;
  @Prop({ default: '' }) previousEntryId!: string;
  /**
   * Ids of the events this record's writes announced, each added by the write that made the
   * change: the outbox relay publishes a pending event only if its change was stored.
   */
  @Prop({ type: [String], default: [] }) eventIds!: string[];
}
export const HandoverEntrySchema = SchemaFactory.createForClass(HandoverEntryRecord);

/** A property's ledger of one day: which entries, and the supervisor's review. */
@Schema({ collection: 'ledger_days' })
export class LedgerDayRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true }) day!: string;
  @Prop({ type: [String], default: [] }) entryIds!: string[];
  @Prop({ type: Object, default: null }) reviewedBy!: StaffRefRecord | null;
  @Prop({ type: Date, default: null }) reviewedAt!: Date | null;
  @Prop({ default: '' }) reviewNote!: string;
  /**
   * Ids of the events this record's writes announced, each added by the write that made the
   * change: the outbox relay publishes a pending event only if its change was stored.
   */
  @Prop({ type: [String], default: [] }) eventIds!: string[];
}
export const LedgerDaySchema = SchemaFactory.createForClass(LedgerDayRecord);

/** A property's ledger of one month: the days with entries, and its archiving (台帐封面). */
@Schema({ collection: 'ledger_months' })
export class LedgerMonthRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true }) month!: string;
  @Prop({ type: [String], default: [] }) days!: string[];
  @Prop({ type: Object, default: null }) archivedBy!: StaffRefRecord | null;
  @Prop({ type: Date, default: null }) archivedAt!: Date | null;
  /**
   * Ids of the events this record's writes announced, each added by the write that made the
   * change: the outbox relay publishes a pending event only if its change was stored.
   */
  @Prop({ type: [String], default: [] }) eventIds!: string[];
}
export const LedgerMonthSchema = SchemaFactory.createForClass(LedgerMonthRecord);

/** The property's latest entry: the next one carries its unfinished follow-ups. */
@Schema({ collection: 'handover_heads' })
export class HandoverHeadRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) entryId!: string;
  @Prop({ required: true }) shiftStart!: Date;
}
export const HandoverHeadSchema = SchemaFactory.createForClass(HandoverHeadRecord);

/**
 * An action done once on a record, claimed before its write (`_id` `<record id>:<action>`: signed,
 * reviewed, archived). The insert under a unique `_id` is what lets one of two people acting at
 * once through: a conditional update is not atomic on every store (FerretDB), and the loser's
 * event must never be published.
 */
@Schema({ collection: 'handover_claims' })
export class HandoverClaimRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) at!: Date;
}
export const HandoverClaimSchema = SchemaFactory.createForClass(HandoverClaimRecord);

export const dayKey = (groupId: string, propertyId: string, day: string) => `${groupId}:${propertyId}:${day}`;
export const monthKey = (groupId: string, propertyId: string, month: string) => `${groupId}:${propertyId}:${month}`;
export const headKey = (groupId: string, propertyId: string) => `${groupId}:${propertyId}`;
