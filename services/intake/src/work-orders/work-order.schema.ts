import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Trade, Urgency, WorkOrderChannel, WorkOrderStatus } from '@complaints/domain';
import type { ActorRecord } from '../timeline/timeline.schema';

export interface MaterialRecord {
  name: string;
  quantity: number;
  unit: string;
}

/** A repair work order (报修单); `_id` is its id, every read is by it. */
@Schema({ collection: 'work_orders', minimize: false })
export class WorkOrderRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) number!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true }) regionId!: string;
  @Prop({ default: '' }) location!: string;
  @Prop({ required: true, type: String }) trade!: Trade;
  @Prop({ required: true, type: String }) urgency!: Urgency;
  @Prop({ required: true }) description!: string;
  @Prop({ required: true, type: String }) channel!: WorkOrderChannel;
  @Prop({ default: '' }) complaintId!: string;
  @Prop({ default: '' }) complaintNumber!: string;
  @Prop({ default: '' }) requester!: string;
  @Prop({ required: true, type: String }) status!: WorkOrderStatus;
  @Prop({ required: true }) raisedAt!: Date;
  @Prop({ required: true, type: Object }) raisedBy!: ActorRecord;
  @Prop({ required: true }) arriveBy!: Date;
  @Prop({ required: true }) completeBy!: Date;
  @Prop({ default: false }) arrivalOverdue!: boolean;
  @Prop({ default: false }) completionOverdue!: boolean;
  @Prop({ default: '' }) assigneeId!: string;
  @Prop({ default: '' }) assigneeName!: string;
  @Prop({ type: Date, default: null }) dispatchedAt!: Date | null;
  @Prop({ type: Object, default: null }) dispatchedBy!: ActorRecord | null;
  @Prop({ default: false }) dispatchedByRule!: boolean;
  @Prop({ type: Date, default: null }) arrivedAt!: Date | null;
  @Prop({ type: Date, default: null }) completedAt!: Date | null;
  @Prop({ default: '' }) workDone!: string;
  @Prop({ type: [Object], default: [] }) materials!: MaterialRecord[];
  @Prop({ type: [String], default: [] }) photos!: string[];
  @Prop({ type: Date, default: null }) confirmedAt!: Date | null;
  @Prop({ default: 0 }) rating!: number;
  @Prop({ default: '' }) feedback!: string;
  @Prop({ default: 0 }) reworks!: number;
  @Prop({ default: '' }) repeatOfId!: string;
  @Prop({ default: '' }) repeatOfNumber!: string;
  @Prop({ default: false }) complaintWaits!: boolean;
  /**
   * The events announcing its steps, written with each step: the outbox relay publishes a pending
   * event when its work order names it (its step was stored). Absent on older work orders.
   */
  @Prop({ type: [String], default: [] }) eventIds!: string[];
}
export const WorkOrderSchema = SchemaFactory.createForClass(WorkOrderRecord);
// The list (newest first within the group) and the overdue filter.
WorkOrderSchema.index({ groupId: 1, raisedAt: -1, _id: -1 });

/** The work orders raised from one complaint: `_id` `<group>:<complaint id>`. */
@Schema({ collection: 'complaint_work_orders' })
export class ComplaintWorkOrders {
  @Prop({ required: true }) _id!: string;
  @Prop({ type: [String], default: [] }) workOrderIds!: string[];
}
export const ComplaintWorkOrdersSchema = SchemaFactory.createForClass(ComplaintWorkOrders);

/** The repairs of one unit and trade (work-order-rules unitKey), for repeat repairs (返修). */
@Schema({ collection: 'unit_repairs' })
export class UnitRepairs {
  @Prop({ required: true }) _id!: string;
  @Prop({ type: [Object], default: [] }) repairs!: { id: string; number: string; raisedAt: Date }[];
}
export const UnitRepairsSchema = SchemaFactory.createForClass(UnitRepairs);

/** How many open work orders a staff member has: `_id` `<group>:<staff id>` (the dispatch rule's load). */
@Schema({ collection: 'maintenance_load' })
export class MaintenanceLoad {
  @Prop({ required: true }) _id!: string;
  @Prop({ default: 0 }) open!: number;
}
export const MaintenanceLoadSchema = SchemaFactory.createForClass(MaintenanceLoad);
