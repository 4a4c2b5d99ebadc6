import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One row per complaint with its current facts, projected from events (SPEC §8). */
@Schema({ collection: 'complaint_facts' })
export class ComplaintFacts {
  /** The complaint id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop() number?: string;
  @Prop() propertyId?: string;
  @Prop() channel?: string;
  @Prop() receivedAt?: Date;
  @Prop() category?: string;
  @Prop() severity?: string;
  @Prop() department?: string;
  @Prop({ type: [String], default: [] }) breaches!: string[];
  /** Event ids already applied: a duplicate changes nothing. */
  @Prop({ type: [String], default: [] }) appliedEventIds!: string[];
}
export const ComplaintFactsSchema = SchemaFactory.createForClass(ComplaintFacts);
