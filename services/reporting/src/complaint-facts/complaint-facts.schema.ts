import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { ComplaintFactsRow } from './derive-facts';
import type { FactEvent, StaffRef } from './fact-event';

/**
 * One row per complaint (SPEC §8): the fact events seen so far, and the facts derived from
 * them, which the rollups read. `version` guards the derived part against a concurrent writer.
 */
@Schema({ collection: 'complaint_facts', versionKey: false })
export class ComplaintFacts implements Omit<ComplaintFactsRow, 'complaintId'> {
  /** The complaint id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) events!: FactEvent[];
  /** The ids of `events`: what makes a duplicate recognisable in one update. */
  @Prop({ type: [String], default: [] }) eventIds!: string[];
  @Prop({ default: 0 }) version!: number;

  @Prop({ default: '' }) number!: string;
  @Prop({ default: '' }) propertyId!: string;
  @Prop({ default: '' }) regionId!: string;
  @Prop({ default: '' }) channel!: string;
  @Prop({ default: '' }) category!: string;
  @Prop({ default: '' }) severity!: string;
  @Prop({ default: '' }) department!: string;
  @Prop({ default: '' }) liability!: string;
  @Prop({ default: '' }) location!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) handler!: StaffRef | null;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) involvedStaff!: StaffRef | null;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) consequences!: ComplaintFactsRow['consequences'];
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) correctiveActions!: ComplaintFactsRow['correctiveActions'];
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) workOrder!: ComplaintFactsRow['workOrder'];
  @Prop({ default: 'registered' }) status!: string;
  @Prop({ type: Date, default: null }) receivedAt!: Date | null;
  @Prop({ type: Date, default: null }) firstRepliedAt!: Date | null;
  @Prop({ type: Date, default: null }) resolvedAt!: Date | null;
  @Prop({ type: Date, default: null }) callbackAt!: Date | null;
  @Prop({ type: Date, default: null }) closedAt!: Date | null;
  @Prop({ default: false }) closedAtFirstContact!: boolean;
  @Prop({ default: '' }) validity!: string;
  @Prop({ default: 1 }) round!: number;
  @Prop({ default: '' }) satisfaction!: string;
  @Prop({ type: [String], default: [] }) breaches!: string[];
  @Prop({ type: [String], default: [] }) platformLateBreaches!: string[];
  @Prop({ type: [String], default: [] }) escalations!: string[];
  @Prop({ default: false }) supervised!: boolean;
  @Prop({ default: false }) supervisionOverdue!: boolean;
  @Prop({ default: '' }) spotCheck!: string;
  @Prop({ default: '' }) remedyKind!: string;
  @Prop({ default: 0 }) remedyCents!: number;
}
export const ComplaintFactsSchema = SchemaFactory.createForClass(ComplaintFacts);
// Rollups read a group's complaints received within a period.
ComplaintFactsSchema.index({ groupId: 1, receivedAt: 1 });
