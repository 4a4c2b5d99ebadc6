import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/**
 * What one scope (group, region or property) sets of the deadline policy (SPEC §5). Stored as
 * validated, empty objects included (`minimize: false`): Mongoose would otherwise drop `{}` (a
 * policy that sets no severity is `{ severities: {} }`) and leave a document without `policy`.
 */
@Schema({ collection: 'policies', timestamps: true, minimize: false })
export class PolicyDocument {
  /** `<groupId>:<kind>:<id>`: one document per scope. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) kind!: string;
  @Prop({ default: '' }) scopeId!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) policy!: unknown;
  @Prop({ default: '' }) updatedBy!: string;
}
export const PolicySchema = SchemaFactory.createForClass(PolicyDocument);

/** A region's working calendar (SPEC §5: weekends, holidays, 调休 make-up days, business hours). */
@Schema({ collection: 'calendars', timestamps: true, minimize: false })
export class CalendarDocument {
  /** `<groupId>:<regionId>`. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) regionId!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) calendar!: unknown;
  @Prop({ default: '' }) updatedBy!: string;
}
export const CalendarSchema = SchemaFactory.createForClass(CalendarDocument);
