import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { ActsFor } from '../access/acting-for-staff';

/** A partner's credential. The key itself is never stored, only its hash. */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKeyRecord {
  /** The key id, also the middle part of the key. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  /** null: every property of the group. */
  @Prop({ type: [String], default: null }) propertyIds!: string[] | null;
  @Prop({ required: true }) admin!: boolean;
  /** Which staff it may act for (access/acting-for-staff.ts); null: an admin key everyone, another key nobody. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) actsFor?: ActsFor | null;
  /** SHA-256 of the whole key, hex. */
  @Prop({ required: true }) secretHash!: string;
  @Prop({ required: true }) createdAt!: Date;
  /**
   * Who made it: the key id, or `staff:<id>`; '' for the bootstrap key and keys made before this
   * was recorded. A key never revokes the keys it descends from.
   */
  @Prop({ default: '' }) createdBy?: string;
  /** Set before its first webhook subscription is made: revoking it then stops its subscriptions. */
  @Prop({ default: false }) subscribes?: boolean;
  @Prop({ type: Date, default: null }) lastUsedAt!: Date | null;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKeyRecord);
