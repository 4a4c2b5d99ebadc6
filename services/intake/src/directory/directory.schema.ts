import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Language, PropertyKind, RoleLevel, Trade } from '@complaints/domain';

// Master data of a group (SPEC §1). Every id is unique within its group; `_id` is `<groupId>:<id>`
// so two groups may use the same ids without colliding.

@Schema({ collection: 'regions' })
export class Region {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) name!: string;
}
export const RegionSchema = SchemaFactory.createForClass(Region);

@Schema({ collection: 'properties' })
export class Property {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) regionId!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true, type: String }) kind!: PropertyKind;
  @Prop({ required: true }) code!: string;
  @Prop({ required: true }) timeZone!: string;
  @Prop({ default: false }) inactive!: boolean;
  @Prop({ default: '' }) deactivatedAt!: string;
}
export const PropertySchema = SchemaFactory.createForClass(Property);

@Schema({ collection: 'departments' })
export class Department {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) kind!: string;
  @Prop({ default: false }) inactive!: boolean;
  @Prop({ default: '' }) deactivatedAt!: string;
}
export const DepartmentSchema = SchemaFactory.createForClass(Department);

@Schema({ collection: 'staff' })
export class StaffMember {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true, type: String }) roleLevel!: RoleLevel;
  @Prop({ default: '' }) departmentId!: string;
  @Prop({ type: [String], default: [] }) propertyIds!: string[];
  @Prop({ default: '' }) regionId!: string;
  @Prop({ default: false }) onDuty!: boolean;
  @Prop({ default: '' }) email!: string;
  @Prop({ default: '' }) mobile!: string;
  @Prop({ default: '' }) wechatOpenId!: string;
  @Prop({ default: 'zh-CN', type: String }) language!: Language;
  @Prop({ default: false }) inactive!: boolean;
  @Prop({ default: '' }) deactivatedAt!: string;
  /** Maintenance trades they do: work orders are dispatched by them. */
  @Prop({ type: [String], default: [] }) trades!: Trade[];
}
export const StaffMemberSchema = SchemaFactory.createForClass(StaffMember);
