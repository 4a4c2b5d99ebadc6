import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export const GROUP_STATUSES = ['active', 'suspended', 'removed'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** Where a group's staff sign in (OpenID Connect), and how a token names them. */
export interface IdentityProvider {
  issuerUrl: string;
  /** The `aud` its access tokens carry for this API. */
  audience: string;
  /** The claim holding the staff id of the directory. */
  staffClaim: string;
  /**
   * When several groups share one issuer: the claim whose value must be this group's id. Empty
   * when the issuer serves this group alone.
   */
  groupClaim: string;
  /** The console's public client at the issuer (authorization code + PKCE) and its scopes. */
  consoleClientId: string;
  consoleScope: string;
}

/**
 * A property group as the platform operator manages it (SPEC §1 tenancy). The group's data lives
 * in every service under its id; this record says whether it may be used and how its staff sign in.
 * A removed group keeps its record, so its id is never given to another group.
 */
@Schema({ collection: 'groups', versionKey: false })
export class GroupRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true, type: String }) status!: GroupStatus;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) identityProvider!: IdentityProvider | null;
  /** The issuer alone, for the sign-in lookup by a token's `iss`. */
  @Prop({ type: String, default: null, index: true }) issuerUrl!: string | null;
  @Prop({ required: true }) createdAt!: Date;
  /** `operator`, or `environment` for the group the gateway's settings name. */
  @Prop({ required: true }) createdBy!: string;
  @Prop({ required: true }) updatedAt!: Date;
}

export const GroupSchema = SchemaFactory.createForClass(GroupRecord);
