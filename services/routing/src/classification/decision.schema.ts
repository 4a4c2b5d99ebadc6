import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Category, Severity } from '@complaints/domain';

/** The classification of one complaint and why it was made (SPEC §3). */
@Schema({ collection: 'decisions', timestamps: true })
export class Decision {
  /** The complaint id: one decision per complaint. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) number!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true, type: String }) category!: Category;
  @Prop({ required: true, type: String }) severity!: Severity;
  @Prop({ required: true }) department!: string;
  @Prop({ type: [String], default: [] }) reasons!: string[];
}
export const DecisionSchema = SchemaFactory.createForClass(Decision);
