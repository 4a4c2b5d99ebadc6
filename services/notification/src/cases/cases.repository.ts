import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import { PerKeyQueue } from '@complaints/service-kit';

/** How many cases the process remembers between their events (a few MB). */
const REMEMBERED_CASES = 10_000;

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
  /** The API key that registered it ('' when staff did): its webhooks hear of it even when confidential. */
  @Prop({ default: '' }) registeredByKeyId!: string;
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
  /** Counts the writes: tells a process that remembers the case whether another wrote it since. */
  @Prop({ default: 0 }) version?: number;
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
    registeredByKeyId: complaint.registeredBy?.kind === 'partner' ? complaint.registeredBy.id : '',
    handlerId: '',
    propertyHeadId: '',
    status: 'registered',
    severity: '',
    deadlines: {},
    mergedInto: '',
    lifecycleAt: null,
    deliveriesListed: true,
    version: 0,
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
  // Moved to another property (a correction): its people and webhooks are that property's now.
  if (reassigned?.propertyId) {
    Object.assign(change, {
      handlerId: reassigned.handler?.id ?? '',
      propertyId: reassigned.propertyId,
      regionId: reassigned.regionId ?? '',
      propertyHeadId: reassigned.propertyHead?.id ?? '',
    });
  }
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
  /** The cases this process wrote or read last, by complaint id (the least recently used go first). */
  private readonly remembered = new LRUCache<string, Case>({ max: REMEMBERED_CASES });

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
   * One store round trip per event, by `_id`, for a case this process remembers (it handled the
   * complaint's last event, which is the rule: a complaint's events come to one consumer in
   * order): the write of what the event changes, which also returns the case as it was, so the
   * case's `version` tells whether anyone else wrote it meanwhile (another replica, another
   * complaint's outcome listing deliveries here). If someone did, the event is decided again on
   * the case as stored and written again, putting back what the first write changed. A case not
   * remembered is read first, as is the only way to know it. `registered` is one upsert.
   * The write holds the fields the event changes and the ids of the deliveries planned to the
   * complainant (kept for erasure). A collective's members told of its outcome get their
   * delivery ids on their own cases, one write each.
   */
  async apply<T extends Planned>(
    event: v1.EventEnvelope,
    plan: (subject: Case) => Promise<T[]> = async () => [],
  ): Promise<{ subject: Case | null; planned: T[] }> {
    return this.queue.run(event.complaintId, async () => {
      let current: Case | null = null;
      // Whether `current` is what the store holds (just read or just created).
      let stored = false;
      const complaint = payloadOf(event, 'registered')?.complaint;
      if (complaint) {
        const created = registeredCase(event, complaint);
        const { _id, ...fields } = created;
        const { upsertedCount } = await this.cases.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
        if (upsertedCount === 1) [current, stored] = [created, true];
      }
      const remembered = this.remembered.get(event.complaintId);
      if (!current && remembered?.groupId === event.groupId) current = remembered;
      if (!current) [current, stored] = [await this.find(event.groupId, event.complaintId), true];
      if (!current) {
        this.remembered.delete(event.complaintId);
        return { subject: null, planned: [] };
      }
      let decidedOn: Case = current;
      // What an earlier write of this call set on a case that had changed meanwhile: put back.
      let undo: Partial<Case> = {};
      for (;;) {
        const change = changesOf(event, decidedOn);
        const next: Case = { ...decidedOn, ...change };
        const planned = await plan(next);

        const toComplainants = new Map<string, string[]>();
        for (const { delivery } of planned) {
          if (delivery.recipientKind !== 'complainant') continue;
          toComplainants.set(delivery.recipientId, [...(toComplainants.get(delivery.recipientId) ?? []), delivery._id]);
        }
        const known = new Set(decidedOn.complainantDeliveries ?? []);
        const listed = (toComplainants.get(next._id) ?? []).filter((id) => !known.has(id));
        if (listed.length > 0) next.complainantDeliveries = [...known, ...listed];
        const set = { ...undo, ...change };
        if (stored && Object.keys(set).length === 0 && listed.length === 0) {
          this.remembered.set(next._id, next);
          return { subject: next, planned };
        }
        const before: Case | null = await this.cases
          .findOneAndUpdate(
            { _id: next._id },
            {
              ...(Object.keys(set).length > 0 ? { $set: set } : {}),
              ...(listed.length > 0 ? { $addToSet: { complainantDeliveries: { $each: listed } } } : {}),
              $inc: { version: 1 },
            },
            { returnDocument: 'before' },
          )
          .lean<Case>();
        if (!before || before.groupId !== event.groupId) {
          this.remembered.delete(event.complaintId);
          return { subject: null, planned: [] };
        }
        if ((before.version ?? 0) !== (decidedOn.version ?? 0)) {
          // Written meanwhile by someone else: decided on an older case. Decide again on the
          // case as it was before this write (the ids listed just now stay listed: harmless,
          // erasure skips an id with no delivery).
          undo = Object.fromEntries(Object.keys(set).map((key) => [key, before[key as keyof Case] ?? null]));
          // The store counts this write too.
          [decidedOn, stored] = [{ ...before, version: (before.version ?? 0) + 1 }, false];
          continue;
        }
        next.version = (decidedOn.version ?? 0) + 1;
        this.remembered.set(next._id, next);
        await this.followMerge(decidedOn, next);
        for (const [memberId, ids] of toComplainants) {
          if (memberId === next._id) continue;
          // The member's own events hold its key only briefly and never wait for this one's.
          await this.queue.run(memberId, () =>
            this.cases.updateOne(
              { _id: memberId },
              { $addToSet: { complainantDeliveries: { $each: ids } }, $inc: { version: 1 } },
            ),
          );
        }
        return { subject: next, planned };
      }
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
