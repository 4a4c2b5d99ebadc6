import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';

/** Statuses after which a complaint is nobody's open item. */
export const FINAL_STATUSES = ['closed', 'withdrawn', 'merged'];

/**
 * What notification keeps of a complaint to tell people about it: its number and property,
 * the language, and who is on it now. Built from the events. No personal data: the complainant's
 * contact is asked of intake at the moment a message is sent (see deliveries/).
 */
@Schema({ collection: 'cases', timestamps: true })
export class Case {
  /** The complaint id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) number!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ default: '' }) regionId!: string;
  @Prop({ default: 'zh-CN' }) language!: string;
  @Prop({ default: false }) confidential!: boolean;
  /** The staff member who registered it (SPEC §2 first-contact owner); '' when a partner did. */
  @Prop({ default: '' }) ownerId!: string;
  @Prop({ default: '' }) handlerId!: string;
  @Prop({ default: '' }) propertyHeadId!: string;
  @Prop({ default: 'registered' }) status!: string;
  @Prop({ default: '' }) severity!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) deadlines!: Record<string, string>;
  @Prop({ default: '' }) mergedInto!: string;
  /** When the lifecycle snapshot was taken: an older one never overwrites a newer. */
  @Prop({ type: Date, default: null }) lifecycleAt!: Date | null;
}
export const CaseSchema = SchemaFactory.createForClass(Case);
CaseSchema.index({ groupId: 1, handlerId: 1, status: 1 });
CaseSchema.index({ groupId: 1, mergedInto: 1 });

@Injectable()
export class CasesRepository {
  constructor(@InjectModel(Case.name) private readonly cases: Model<Case>) {}

  async find(groupId: string, complaintId: string): Promise<Case | null> {
    return this.cases.findOne({ _id: complaintId, groupId }).lean<Case>();
  }

  /** Follows the complaint: who is on it, where its lifecycle stands. Safe to apply twice. */
  async apply(event: v1.EventEnvelope): Promise<void> {
    const key = { _id: event.complaintId, groupId: event.groupId };
    const complaint = payloadOf(event, 'registered')?.complaint;
    if (complaint) {
      await this.cases.updateOne(
        key,
        {
          $setOnInsert: {
            number: complaint.number,
            propertyId: complaint.propertyId,
            regionId: complaint.regionId,
            language: complaint.language || 'zh-CN',
            confidential: complaint.confidential,
            ownerId: complaint.registeredBy?.kind === 'staff' ? complaint.registeredBy.id : '',
          },
        },
        { upsert: true },
      );
    }
    const routed = payloadOf(event, 'routed');
    if (routed) {
      await this.cases.updateOne(key, {
        $set: {
          handlerId: routed.handler?.id ?? '',
          propertyHeadId: routed.propertyHead?.id ?? '',
          severity: routed.severity,
          mergedInto: routed.mergedInto,
        },
      });
    }
    const reassigned = payloadOf(event, 'reassigned');
    if (reassigned?.handler) await this.cases.updateOne(key, { $set: { handlerId: reassigned.handler.id } });
    const merged = payloadOf(event, 'merged');
    if (merged) await this.cases.updateOne(key, { $set: { mergedInto: merged.intoComplaintId, status: 'merged' } });
    if (payloadOf(event, 'unmerged')) await this.cases.updateOne(key, { $set: { mergedInto: '', status: 'assigned' } });
    if (payloadOf(event, 'withdrawn')) await this.cases.updateOne(key, { $set: { status: 'withdrawn' } });
    if (event.lifecycle?.status) {
      const at = new Date(event.occurredAt);
      await this.cases.updateOne(
        { ...key, $or: [{ lifecycleAt: null }, { lifecycleAt: { $lte: at } }] },
        {
          $set: {
            status: event.lifecycle.status,
            severity: event.lifecycle.severity,
            deadlines: event.lifecycle.deadlines,
            lifecycleAt: at,
          },
        },
      );
    }
  }

  /**
   * Erasure: cases written before contacts were left out may still hold one. Resolves the number
   * of records changed.
   */
  async eraseContact(groupId: string, complaintId: string): Promise<number> {
    const { modifiedCount } = await this.cases.updateOne(
      { _id: complaintId, groupId, contact: { $exists: true } },
      { $unset: { contact: 1 } },
      // `contact` is no longer in the schema: without this mongoose drops the $unset.
      { strict: false },
    );
    return modifiedCount;
  }

  /** Start-up clean-up: cases written before contacts were left out lose them (idempotent). */
  async dropStoredContacts(): Promise<number> {
    const { modifiedCount } = await this.cases.updateMany(
      { contact: { $exists: true } },
      { $unset: { contact: 1 } },
      { strict: false },
    );
    return modifiedCount;
  }

  /** Members of a collective (or duplicates) handled in `parentId`: told its outcome too. */
  async membersOf(groupId: string, parentId: string): Promise<Case[]> {
    return this.cases.find({ groupId, mergedInto: parentId }).limit(1000).lean<Case[]>();
  }

  /** Open complaints per handler, for the daily digest. */
  async openByHandler(groupId: string): Promise<Map<string, Case[]>> {
    const open = await this.cases
      .find({ groupId, handlerId: { $ne: '' }, status: { $nin: FINAL_STATUSES } })
      .sort({ number: 1 })
      .limit(10_000)
      .lean<Case[]>();
    const byHandler = new Map<string, Case[]>();
    for (const item of open) byHandler.set(item.handlerId, [...(byHandler.get(item.handlerId) ?? []), item]);
    return byHandler;
  }
}
