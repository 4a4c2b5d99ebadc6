import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A complaint in its complainant's recent history (repeats and duplicates, SPEC §3). */
@Schema({ _id: false })
export class PastComplaint {
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) number!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true }) category!: string;
  @Prop({ required: true }) receivedAt!: Date;
}

/**
 * `<group>:<complainant key>`: the complainant's complaints of the last 30 days, whatever their
 * state (a repeat counts closed ones too). Whether one is still open is read from its decision.
 */
@Schema({ collection: 'routing_complainants', timestamps: true })
export class ComplainantHistory {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ type: [PastComplaint], default: [] }) entries!: PastComplaint[];
}
export const ComplainantHistorySchema = SchemaFactory.createForClass(ComplainantHistory);

/** An open case that a later complaint about the same matter may join (collective complaints). */
@Schema({ _id: false })
export class OpenCase {
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) number!: string;
  @Prop({ required: true }) complainantKey!: string;
  @Prop({ required: true }) receivedAt!: Date;
  /** As reported: a collective complaint formed from it names the place so. */
  @Prop({ default: '' }) location!: string;
  @Prop({ default: '' }) locationKey!: string;
  @Prop({ default: '' }) description!: string;
  @Prop({ default: false }) isCollectiveParent!: boolean;
}

/**
 * `<group>:<property>:<category>:<place>`: the open, unmerged cases received in the last 24 hours
 * at one place (the same matter needs the same place, so the place narrows the list further).
 */
@Schema({ collection: 'routing_open_cases', timestamps: true })
export class OpenCases {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ type: [OpenCase], default: [] }) entries!: OpenCase[];
}
export const OpenCasesSchema = SchemaFactory.createForClass(OpenCases);

/** `<group>:<staff id>`: how many open complaints a staff member handles (least-loaded choice). */
@Schema({ collection: 'routing_handler_loads', timestamps: true })
export class HandlerLoad {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) staffId!: string;
  @Prop({ default: 0 }) open!: number;
  /** Ids of the latest changes applied (`<complaint id>:<seq>`): a retried change is applied once. */
  @Prop({ type: [String], default: [] }) ops!: string[];
}
export const HandlerLoadSchema = SchemaFactory.createForClass(HandlerLoad);
