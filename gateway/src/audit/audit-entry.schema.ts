import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** What administration changes: each audited route names one. */
export const AUDIT_SUBJECTS = [
  'group',
  'api_key',
  'policy',
  'calendar',
  'routing_rules',
  'notification_settings',
  'notification_template',
  'webhook_subscription',
  'canned_replies',
  'region',
  'property',
  'department',
  'staff',
  'directory_activity',
  'directory_import',
  'report_settings',
  'report_rebuild',
] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

/**
 * `attempted`: written before the change, so a change whose process died half-way is still on
 * record; then `done` with the state after, or `failed` with the answer's status.
 */
export const AUDIT_OUTCOMES = ['attempted', 'done', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One change to a group's administration: who, when, what, before and after (secrets redacted). */
// minimize: false, so an empty object before or after is kept as it was, not dropped.
@Schema({ collection: 'audit_entries', versionKey: false, minimize: false })
export class AuditEntry {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) at!: Date;
  /** `partner` (an API key), `staff`, or `operator` (the platform operator). */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) actor!: { kind: string; id: string; name: string };
  @Prop({ required: true, type: String }) subject!: AuditSubject;
  /** Which one: the route's ids (`east`, `sh-mall`, a key id …); '' for the group's single setting. */
  @Prop({ default: '' }) target!: string;
  /** The request: `PUT /v1/policies/regions/:id`. */
  @Prop({ required: true }) action!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) before!: unknown;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) after!: unknown;
  @Prop({ required: true, type: String }) outcome!: AuditOutcome;
  /** The HTTP status answered, once known. */
  @Prop({ type: Number, default: null }) status!: number | null;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);
// The list: a group's entries newest first (keyset paging on at and _id).
AuditEntrySchema.index({ groupId: 1, at: -1, _id: -1 });
