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

/** The classification and assignment of one complaint, and why (SPEC §3). */
@Schema({ collection: 'decisions', timestamps: true })
export class Decision {
  /** The complaint id: one decision per complaint. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
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
}
export const DecisionSchema = SchemaFactory.createForClass(Decision);
DecisionSchema.index({ groupId: 1, complainantKey: 1, receivedAt: -1 });
DecisionSchema.index({ groupId: 1, 'handler.id': 1, state: 1 });
DecisionSchema.index({ groupId: 1, propertyId: 1, category: 1, state: 1, receivedAt: -1 });

/** A group's routing settings: classification rules and the department map (JSON, validated on write). */
@Schema({ collection: 'routing_settings', timestamps: true })
export class RoutingSettings {
  /** The group id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) rules!: unknown;
  @Prop({ required: true, type: MongooseSchema.Types.Mixed }) departments!: unknown;
  @Prop({ default: '' }) updatedBy!: string;
}
export const RoutingSettingsSchema = SchemaFactory.createForClass(RoutingSettings);
