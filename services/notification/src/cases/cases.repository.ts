import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import { PerKeyQueue } from '@complaints/service-kit';

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
  /**
   * Set on cases registered since deliveries to the complainant are listed here: erasure then
   * reads them by `_id` (older cases are searched for).
   */
  @Prop({ default: false }) deliveriesListed?: boolean;
  /** Ids of the deliveries to this complaint's complainant, for erasure. */
  @Prop({ type: [String], default: undefined }) complainantDeliveries?: string[];
}
export const CaseSchema = SchemaFactory.createForClass(Case);
CaseSchema.index({ groupId: 1, handlerId: 1, status: 1 });
CaseSchema.index({ groupId: 1, mergedInto: 1 });

/**
 * The complaints merged into one (a collective or duplicates), kept on a document of its own
 * keyed by the parent's id, so telling the members the outcome reads by `_id` instead of
 * searching the cases for `mergedInto`. Written by the members' events: `$addToSet`/`$pull`
 * touch nothing the parent's own events write.
 */
@Schema({ collection: 'case_members' })
export class CaseMembers {
  /** The parent complaint's id. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ type: [String], default: [] }) members!: string[];
}
export const CaseMembersSchema = SchemaFactory.createForClass(CaseMembers);

/** What a case is before any event but `registered` changed it (the schema's defaults). */
function registeredCase(event: v1.EventEnvelope, complaint: v1.Complaint): Case {
  return {
    _id: event.complaintId,
    groupId: event.groupId,
    number: complaint.number,
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    language: complaint.language || 'zh-CN',
    confidential: complaint.confidential,
    ownerId: complaint.registeredBy?.kind === 'staff' ? complaint.registeredBy.id : '',
    handlerId: '',
    propertyHeadId: '',
    status: 'registered',
    severity: '',
    deadlines: {},
    mergedInto: '',
    lifecycleAt: null,
    deliveriesListed: true,
  };
}

/** What an event leads to, planned from the case as it is after it. */
interface Planned {
  delivery: { _id: string; recipientKind: string; recipientId: string };
}

/** The fields an event changes on a case (empty when it changes none). */
function changesOf(event: v1.EventEnvelope, current: Case): Partial<Case> {
  const change: Partial<Case> = {};
  const routed = payloadOf(event, 'routed');
  if (routed) {
    Object.assign(change, {
      handlerId: routed.handler?.id ?? '',
      propertyHeadId: routed.propertyHead?.id ?? '',
      severity: routed.severity,
      mergedInto: routed.mergedInto,
    });
  }
  const reassigned = payloadOf(event, 'reassigned');
  if (reassigned?.handler) change.handlerId = reassigned.handler.id;
  const merged = payloadOf(event, 'merged');
  if (merged) Object.assign(change, { mergedInto: merged.intoComplaintId, status: 'merged' });
  if (payloadOf(event, 'unmerged')) Object.assign(change, { mergedInto: '', status: 'assigned' });
  if (payloadOf(event, 'withdrawn')) change.status = 'withdrawn';
  const at = new Date(event.occurredAt);
  // An older lifecycle snapshot (a redelivery overtaken by a newer event) never overwrites a newer.
  if (event.lifecycle?.status && (!current.lifecycleAt || new Date(current.lifecycleAt) <= at)) {
    Object.assign(change, {
      status: event.lifecycle.status,
      severity: event.lifecycle.severity,
      deadlines: event.lifecycle.deadlines,
      lifecycleAt: at,
    });
  }
  return change;
}

@Injectable()
export class CasesRepository {
  /**
   * Read-decide-write of one case at a time in this process: FerretDB v1 has no document
   * isolation. A complaint's events come in order, so this only matters for redeliveries.
   */
  private readonly queue = new PerKeyQueue();
  /**
   * A member list is written by the events of every member, handled at once: `$addToSet` and
   * `$pull` are atomic on MongoDB; FerretDB v1 runs them as read-modify-write, so this process
   * writes one list at a time.
   */
  private readonly lists = new PerKeyQueue();

  constructor(
    @InjectModel(Case.name) private readonly cases: Model<Case>,
    @InjectModel(CaseMembers.name) private readonly members: Model<CaseMembers>,
  ) {}

  /** The case, by `_id`; another group's is not found. */
  async find(groupId: string, complaintId: string): Promise<Case | null> {
    const found = await this.cases.findById(complaintId).lean<Case>();
    return found && found.groupId === groupId ? found : null;
  }

  /**
   * Follows the complaint (who is on it, where its lifecycle stands) and plans what the event
   * leads to from the case as it is after it. Safe to apply twice. Resolves the case (null when
   * notification never heard of it) and the plan.
   *
   * `registered` costs one write (the upsert), any other event one read and at most one write,
   * all by `_id`; the write holds only the fields the event changes and the ids of the
   * deliveries planned to the complainant (kept for erasure). A collective's members told of
   * its outcome get their delivery ids on their own cases, one write each.
   */
  async apply<T extends Planned>(
    event: v1.EventEnvelope,
    plan: (subject: Case) => Promise<T[]> = async () => [],
  ): Promise<{ subject: Case | null; planned: T[] }> {
    return this.queue.run(event.complaintId, async () => {
      let current: Case | null = null;
      const complaint = payloadOf(event, 'registered')?.complaint;
      if (complaint) {
        const created = registeredCase(event, complaint);
        const { _id, ...fields } = created;
        const { upsertedCount } = await this.cases.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
        if (upsertedCount === 1) current = created;
      }
      current ??= await this.find(event.groupId, event.complaintId);
      if (!current) return { subject: null, planned: [] };
      const change = changesOf(event, current);
      const next: Case = { ...current, ...change };
      const planned = await plan(next);

      const toComplainants = new Map<string, string[]>();
      for (const { delivery } of planned) {
        if (delivery.recipientKind !== 'complainant') continue;
        toComplainants.set(delivery.recipientId, [...(toComplainants.get(delivery.recipientId) ?? []), delivery._id]);
      }
      const known = new Set(current.complainantDeliveries ?? []);
      const listed = (toComplainants.get(next._id) ?? []).filter((id) => !known.has(id));
      if (listed.length > 0) next.complainantDeliveries = [...known, ...listed];
      if (Object.keys(change).length > 0 || listed.length > 0) {
        await this.cases.updateOne(
          { _id: next._id },
          {
            ...(Object.keys(change).length > 0 ? { $set: change } : {}),
            ...(listed.length > 0 ? { $addToSet: { complainantDeliveries: { $each: listed } } } : {}),
          },
        );
      }
      await this.followMerge(current, next);
      for (const [memberId, ids] of toComplainants) {
        if (memberId === next._id) continue;
        // The member's own events hold its key only briefly and never wait for this one's.
        await this.queue.run(memberId, () =>
          this.cases.updateOne({ _id: memberId }, { $addToSet: { complainantDeliveries: { $each: ids } } }),
        );
      }
      return { subject: next, planned };
    });
  }

  /** Keeps the parent's list of members in step with the member's `mergedInto`. */
  private async followMerge(before: Case, after: Case): Promise<void> {
    if (before.mergedInto === after.mergedInto) return;
    const { mergedInto: left } = before;
    const { mergedInto: joined } = after;
    if (left) {
      await this.lists.run(left, () => this.members.updateOne({ _id: left }, { $pull: { members: after._id } }));
    }
    if (joined) {
      await this.lists.run(joined, () => this.addMember(joined, after.groupId, after._id));
    }
  }

  private async addMember(parentId: string, groupId: string, memberId: string): Promise<void> {
    await this.members.updateOne(
      { _id: parentId },
      { $setOnInsert: { groupId }, $addToSet: { members: memberId } },
      { upsert: true },
    );
  }

  /**
   * Erasure: cases written before contacts were left out may still hold one. Resolves the number
   * of records changed.
   */
  async eraseContact(groupId: string, complaintId: string): Promise<number> {
    const stored = await this.cases.findById(complaintId).lean<Case & { contact?: unknown }>();
    if (!stored || stored.groupId !== groupId || stored.contact === undefined) return 0;
    const { modifiedCount } = await this.cases.updateOne(
      { _id: complaintId },
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

  /**
   * Members of a collective (or duplicates) handled in `parentId`: told its outcome too. Read by
   * `_id`: the parent's member list, then each member (only still merged into it).
   */
  async membersOf(groupId: string, parentId: string): Promise<Case[]> {
    const list = await this.members.findById(parentId).lean<CaseMembers>();
    if (!list || list.groupId !== groupId) return [];
    const found = await Promise.all(list.members.map((id) => this.find(groupId, id)));
    return found.filter((item): item is Case => item !== null && item.mergedInto === parentId);
  }

  /**
   * Start-up step for cases merged before member lists were kept: builds the lists once from a
   * scan (off the hot path, idempotent, so every replica may run it). Resolves how many members.
   */
  async buildMemberLists(): Promise<number> {
    const merged = await this.cases
      .find({ mergedInto: { $exists: true, $ne: '' } }, { groupId: 1, mergedInto: 1 })
      .lean<Pick<Case, '_id' | 'groupId' | 'mergedInto'>[]>();
    for (const item of merged) {
      await this.lists.run(item.mergedInto, () => this.addMember(item.mergedInto, item.groupId, item._id));
    }
    return merged.length;
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
