import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { mongo, Schema as MongooseSchema, type Model } from 'mongoose';
import { GroupCommit, PerKeyQueue } from '@complaints/service-kit';
import type { Channel } from '../channels/channel';

export const DELIVERY_STATUSES = ['pending', 'deferred', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

@Schema({ _id: false })
export class Attempt {
  @Prop({ required: true }) number!: number;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) ok!: boolean;
  @Prop({ default: '' }) providerResponse!: string;
  @Prop({ default: '' }) error!: string;
}
const AttemptSchema = SchemaFactory.createForClass(Attempt);

/** One message to one recipient on one channel, and what became of it (SPEC §7: recorded). */
@Schema({ collection: 'deliveries', timestamps: true })
export class Delivery {
  /** From (event id, recipient, channel): a redelivered event finds its deliveries already here. */
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) eventId!: string;
  @Prop({ required: true }) eventType!: string;
  @Prop({ default: '' }) complaintId!: string;
  @Prop({ required: true }) recipientKind!: string;
  @Prop({ required: true }) recipientId!: string;
  /** Subscriptions are the partner key's: its deliveries are listed and replayed with it. */
  @Prop({ default: '' }) keyId!: string;
  @Prop({ required: true, type: String }) channel!: Channel;
  /** For a complainant only the masked address: the contact is asked of intake at send time. */
  @Prop({ required: true }) to!: string;
  @Prop({ required: true }) template!: string;
  @Prop({ default: 'zh-CN' }) language!: string;
  @Prop({ default: '' }) subject!: string;
  @Prop({ default: '' }) text!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) params!: Record<string, string>;
  @Prop({ default: '' }) body!: string;
  /** SMS to a complainant in quiet hours waits; the property's zone says when night is. */
  @Prop({ default: false }) respectsQuietHours!: boolean;
  @Prop({ default: 'Asia/Shanghai' }) timeZone!: string;
  @Prop({ required: true, type: String }) status!: DeliveryStatus;
  @Prop({ type: [AttemptSchema], default: [] }) attempts!: Attempt[];
  @Prop({ type: Date, default: null }) deferredUntil!: Date | null;
  /** A scheduled report's delivery: the stored report (at reporting) whose XLSX it carries. */
  @Prop({ type: String }) reportId?: string;
  /** How many times staff or partners replayed it: names each replay's workflow. */
  @Prop({ default: 0 }) replays!: number;
  createdAt?: Date;
  updatedAt?: Date;
}
export const DeliverySchema = SchemaFactory.createForClass(Delivery);
DeliverySchema.index({ groupId: 1, complaintId: 1, createdAt: 1 });
DeliverySchema.index({ groupId: 1, channel: 1, status: 1, createdAt: -1 });
DeliverySchema.index({ groupId: 1, keyId: 1, status: 1, createdAt: -1 });

export function deliveryId(eventId: string, recipientId: string, channel: Channel): string {
  return createHash('sha256').update(`${eventId}\u0000${recipientId}\u0000${channel}`).digest('hex').slice(0, 32);
}

/** MongoDB's duplicate key error: a delivery stored before. */
const DUPLICATE_KEY = 11000;

export type NewDelivery = Omit<
  Delivery,
  'status' | 'attempts' | 'deferredUntil' | 'replays' | 'createdAt' | 'updatedAt'
>;

/** What became of one delivery sent at once. */
export interface DeliveryOutcome {
  id: string;
  status: DeliveryStatus;
  attempt?: Attempt;
  deferredUntil?: Date | null;
}

/** A planned delivery as it is stored before anything happened to it. */
function pendingRecord(delivery: NewDelivery, now: Date): Delivery {
  return {
    ...delivery,
    status: 'pending',
    attempts: [],
    deferredUntil: null,
    replays: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** An upsert's empty array and null are not stored (mongoose drops them from $setOnInsert). */
function withDefaults(delivery: Delivery): Delivery {
  return { ...delivery, attempts: delivery.attempts ?? [], deferredUntil: delivery.deferredUntil ?? null };
}

@Injectable()
export class DeliveriesRepository {
  /**
   * The writes of one delivery in this process, one at a time: FerretDB v1 updates a document by
   * reading and rewriting all of it, so an attempt recorded by the delivery's workflow at the
   * moment an erasure blanks the address could bring the address back.
   */
  private readonly writes = new PerKeyQueue();
  private readonly outcomes = new GroupCommit<readonly DeliveryOutcome[]>((_key, batches) =>
    this.writeOutcomes(batches.flat()),
  );

  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {}

  /** Stores it unless it exists; true when it is new (and must be sent). */
  async createOnce(delivery: NewDelivery): Promise<boolean> {
    const result = await this.deliveries.updateOne(
      { _id: delivery._id },
      { $setOnInsert: { ...delivery, status: 'pending', attempts: [], deferredUntil: null, replays: 0 } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  }

  /**
   * Stores an event's deliveries in one round trip (one insert command, each document by its
   * `_id`). Those stored before (a redelivered event) are read back by `_id`: resolves, per
   * delivery, what is stored now.
   */
  async storeAll(planned: readonly NewDelivery[], now: Date): Promise<Delivery[]> {
    const fresh = planned.map((delivery) => pendingRecord(delivery, now));
    const existing = new Set<number>();
    try {
      // The driver's collection: one insert command, duplicates reported per document.
      const collection = this.deliveries.collection as unknown as mongo.Collection<Delivery>;
      await collection.insertMany(fresh, { ordered: false });
    } catch (error) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      // One or several, depending on how many documents failed.
      const writeErrors = [error.writeErrors as mongo.WriteError | mongo.WriteError[]].flat();
      for (const writeError of writeErrors) {
        if (writeError.code !== DUPLICATE_KEY) throw error;
        existing.add(writeError.index);
      }
    }
    return Promise.all(
      fresh.map(async (delivery, index) => {
        if (!existing.has(index)) return delivery;
        const stored = await this.find(delivery._id);
        if (!stored) throw new Error(`delivery ${delivery._id} vanished while it was stored`);
        return stored;
      }),
    );
  }

  /**
   * What became of deliveries sent at once, each updated by `_id`: one round trip for them and
   * for those of the other events whose outcomes are ready meanwhile (the events handled at once
   * share a bulk write). Resolves once stored, so no event is acknowledged before its outcomes.
   */
  async recordOutcomes(outcomes: readonly DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.outcomes.add('deliveries', outcomes);
  }

  private async writeOutcomes(outcomes: readonly DeliveryOutcome[]): Promise<void> {
    await this.deliveries.bulkWrite(
      outcomes.map(({ id, status, attempt, deferredUntil }) => ({
        updateOne: {
          filter: { _id: id },
          update: {
            $set: { status, deferredUntil: deferredUntil ?? null },
            ...(attempt ? { $push: { attempts: attempt } } : {}),
          },
        },
      })),
      { ordered: false },
    );
  }

  /** Deliveries by `_id`; missing ones left out. */
  async findMany(ids: readonly string[]): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const found = await this.deliveries.find({ _id: { $in: ids } }).lean<Delivery[]>();
    return found.map(withDefaults);
  }

  async find(id: string): Promise<Delivery | null> {
    const found = await this.deliveries.findById(id).lean<Delivery>();
    return found && withDefaults(found);
  }

  /**
   * Records one attempt once, even when the activity recording it runs again: read, decide,
   * write, all by `_id` (a filter on `attempts.number` would scan on FerretDB). The attempts
   * of one delivery are made one after another by its workflow, so nothing races here.
   */
  async recordAttempt(id: string, attempt: Attempt, status: DeliveryStatus): Promise<void> {
    await this.writes.run(id, async () => {
      const stored = await this.find(id);
      if (!stored || stored.attempts.some((recorded) => recorded.number === attempt.number)) return;
      await this.deliveries.updateOne({ _id: id }, { $push: { attempts: attempt }, $set: { status } });
    });
  }

  async setStatus(id: string, status: DeliveryStatus, deferredUntil: Date | null = null): Promise<void> {
    await this.writes.run(id, () => this.deliveries.updateOne({ _id: id }, { $set: { status, deferredUntil } }));
  }

  /** Marks it for another round; the number of the replay names its workflow. */
  async startReplay(groupId: string, id: string, keyId: string): Promise<Delivery | null> {
    const stored = await this.find(id);
    // Tenancy and the partner key's ownership are checked here, after reading by `_id`.
    if (!stored || stored.groupId !== groupId || (keyId && stored.keyId !== keyId)) return null;
    // $inc keeps two replays at once apart on MongoDB; on FerretDB v1 both may take one number,
    // and the second start is then a no-op (one replay), which is what the caller asked for.
    await this.writes.run(id, () =>
      this.deliveries.updateOne(
        { _id: id },
        { $set: { status: 'pending', deferredUntil: null }, $inc: { replays: 1 } },
      ),
    );
    return this.find(id);
  }

  /**
   * Erasure: the complainant's deliveries of a complaint keep when and how, not what or to whom
   * (address, texts, parameters, and the providers' answers, which may quote the address).
   * `listed`: their ids as the case keeps them, each read and written by `_id`; null for a case
   * registered before the list was kept, whose deliveries are searched for (a scan, once per
   * such complaint). Resolves the number of records changed.
   */
  async eraseComplainant(groupId: string, complaintId: string, listed: readonly string[] | null): Promise<number> {
    const ids = listed ?? (await this.searchComplainant(groupId, complaintId));
    let changed = 0;
    for (const id of ids) {
      // Read and written under the delivery's own turn, so that no attempt recorded meanwhile is lost.
      changed += await this.writes.run(id, async () => {
        const delivery = await this.find(id);
        if (!delivery || delivery.groupId !== groupId) return 0;
        if (delivery.recipientKind !== 'complainant' || delivery.to === '') return 0;
        if (delivery.complaintId !== complaintId && delivery.recipientId !== complaintId) return 0;
        const attempts = delivery.attempts.map((attempt) => ({ ...attempt, providerResponse: '', error: '' }));
        // One write per record: FerretDB v1 has no `$[]`.
        const { modifiedCount } = await this.deliveries.updateOne(
          { _id: id },
          { $set: { to: '', subject: '', text: '', params: {}, body: '', attempts } },
        );
        return modifiedCount;
      });
    }
    return changed;
  }

  private async searchComplainant(groupId: string, complaintId: string): Promise<string[]> {
    const found = await this.deliveries
      .find(
        {
          groupId,
          recipientKind: 'complainant',
          $or: [{ complaintId }, { recipientId: complaintId }],
          to: { $ne: '' },
        },
        { _id: 1 },
      )
      .limit(10_000)
      .lean<Pick<Delivery, '_id'>[]>();
    return found.map((delivery) => delivery._id);
  }

  /**
   * Start-up clean-up: complainant deliveries recorded with the clear address (before addresses
   * were masked) get the masked one, batch-wise and only if unchanged meanwhile. Resolves how many.
   */
  async maskStoredAddresses(mask: (channel: string, to: string) => string, batchSize = 200): Promise<number> {
    let masked = 0;
    for (;;) {
      const batch = await this.deliveries
        // A masked address always holds a '*'; an erased one is empty.
        .find({ recipientKind: 'complainant', to: { $regex: '^[^*]+$' } }, { channel: 1, to: 1 })
        .limit(batchSize)
        .lean<Pick<Delivery, '_id' | 'channel' | 'to'>[]>();
      let changed = 0;
      for (const delivery of batch) {
        const { modifiedCount } = await this.deliveries.updateOne(
          { _id: delivery._id, to: delivery.to },
          { $set: { to: mask(delivery.channel, delivery.to) } },
        );
        changed += modifiedCount;
      }
      masked += changed;
      if (batch.length < batchSize || changed === 0) return masked;
    }
  }

  async list(filter: {
    groupId: string;
    complaintId?: string;
    channel?: string;
    status?: string;
    keyId?: string;
    limit: number;
  }): Promise<Delivery[]> {
    const query: Record<string, unknown> = { groupId: filter.groupId };
    if (filter.complaintId) query.complaintId = filter.complaintId;
    if (filter.channel) query.channel = filter.channel;
    if (filter.status) query.status = filter.status;
    if (filter.keyId) query.keyId = filter.keyId;
    const found = await this.deliveries.find(query).sort({ createdAt: -1 }).limit(filter.limit).lean<Delivery[]>();
    return found.map(withDefaults);
  }
}
