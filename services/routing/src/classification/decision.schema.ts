import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { Category, Liability, Severity } from '@complaints/domain';

/** Found by routing (a repeat, or a member of a collective) or decided by staff. */
export type MergeReason = 'duplicate' | 'collective' | 'manual';

@Schema({ _id: false })
export class StaffRef {
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) name!: string;
}

/**
 * Whose open-complaint counter (`routing_handler_loads`) includes this complaint, and the change
 * that made it so: the decision is written first, then the counters (`from` -1, `to` +1) under
 * the operation id `<complaint id>:<seq>`, which each counter remembers for a while, so a retry
 * after a crash between the two writes applies the change once.
 */
@Schema({ _id: false })
export class LoadCharge {
  @Prop({ default: 0 }) seq!: number;
  /** The staff member charged before this change ('' for nobody). */
  @Prop({ default: '' }) from!: string;
  /** The staff member charged now ('' for nobody: closed, merged, or no handler). */
  @Prop({ default: '' }) to!: string;
  @Prop({ type: Date, default: null }) at!: Date | null;
}

/** The classification and assignment of one complaint, and why (SPEC §3). */
@Schema({ collection: 'decisions', timestamps: true })
export class Decision {
  /** The complaint id: one decision per complaint. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) number!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ default: '' }) regionId!: string;
  @Prop({ default: '' }) channel!: string;
  @Prop({ required: true, type: String }) category!: Category;
  @Prop({ required: true, type: String }) severity!: Severity;
  /** Department kind (e.g. engineering) and its master-data id at the property ('' when the property has none). */
  @Prop({ required: true }) department!: string;
  @Prop({ default: '' }) departmentId!: string;
  @Prop({ type: StaffRef, default: null }) handler!: StaffRef | null;
  @Prop({ type: StaffRef, default: null }) propertyHead!: StaffRef | null;
  @Prop({ type: String, default: '' }) liability!: Liability | '';
  @Prop({ type: [String], default: [] }) reasons!: string[];
  /** Ids of the rules that fired: escalation tells group HQ at once about media exposure. */
  @Prop({ type: [String], default: [] }) firedRules!: string[];
  /** The complainant's pseudonym (intake's blind index); `erased:<id>` once the personal data is erased. */
  @Prop({ required: true }) complainantKey!: string;
  @Prop({ default: false }) anchorTenant!: boolean;
  @Prop({ required: true }) receivedAt!: Date;
  /** The complainant's requested date: escalation caps the resolution deadline with it. */
  @Prop({ type: Date, default: null }) requestedBy?: Date | null;
  @Prop({ default: false }) resolvedAtFirstContact!: boolean;
  /** What "the same matter" compares (SPEC §3 collective complaints). */
  @Prop({ default: '' }) location!: string;
  @Prop({ default: '' }) locationKey!: string;
  @Prop({ default: '' }) description!: string;
  /** Handled as part of this complaint (duplicate or collective member); '' when on its own. */
  @Prop({ default: '' }) mergedInto!: string;
  @Prop({ default: '' }) mergedIntoNumber!: string;
  @Prop({ type: String, default: '' }) mergeReason!: MergeReason | '';
  /** When staff last merged or unmerged it by hand: names the events of that change. */
  @Prop({ type: Date, default: null }) mergeChangedAt!: Date | null;
  @Prop({ default: false }) isCollectiveParent!: boolean;
  /** Open complaints count towards their handler's load. */
  @Prop({ required: true, type: String }) state!: 'open' | 'closed';
  @Prop({ type: LoadCharge, default: () => ({ seq: 0, from: '', to: '', at: null }) }) charge!: LoadCharge;
}
// Read and written by `_id` only (FerretDB filters anything else in Go over the whole
// collection): repeats, open cases and loads are documents of their own, so no index beyond `_id`.
export const DecisionSchema = SchemaFactory.createForClass(Decision);

/**
 * A group's routing settings: classification rules and the department map (JSON, validated on
 * write), stored as validated, empty objects included (`minimize: false`): Mongoose would
 * otherwise drop `departments: {}` or `channelSeverities: {}` (none set), which then read back
 * as missing or as the defaults.
 */
@Schema({ collection: 'routing_settings', timestamps: true, minimize: false })
export class RoutingSettings {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) rules!: unknown;
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) departments!: unknown;
  @Prop({ default: '' }) updatedBy!: string;
}
export const RoutingSettingsSchema = SchemaFactory.createForClass(RoutingSettings);
