import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type Model } from 'mongoose';
import { z } from 'zod';
import { COMPLAINT_EVENT_TYPES } from '@complaints/messaging';
import { DomainError, invalidArgument, NotFoundError, Sealer, type SealedValue } from '@complaints/service-kit';

/** A partner system's standing order for events (SPEC §7 webhooks), owned by the API key that made it. */
@Schema({ collection: 'subscriptions', timestamps: true })
export class Subscription {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) url!: string;
  /** Event types; empty: every type. */
  @Prop({ type: [String], default: [] }) events!: string[];
  /**
   * Signs each delivery (HMAC-SHA256); never shown again. Stored sealed (`sealedSecret`, under
   * SECRET_SEALING_KEYS); in the clear only in subscriptions stored before sealing, which are
   * sealed when next read.
   */
  @Prop() secret?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) sealedSecret?: SealedValue;
  @Prop({ required: true }) keyId!: string;
  /** The key's property scope; empty: the whole group. */
  @Prop({ type: [String], default: [] }) propertyIds!: string[];
  /** The key is an admin key: confidential complaints reach it as they do its API answers. */
  @Prop({ default: false }) seesConfidential!: boolean;
  createdAt?: Date;
}

/** A subscription as the code uses it: its secret opened. */
export type OpenSubscription = Omit<Subscription, 'secret' | 'sealedSecret'> & { secret: string };

/** Who may hear of a complaint's events (the API's rule for keys, gateway/src/access/policy.ts). */
export interface EventSubject {
  propertyId: string;
  confidential: boolean;
  /** The key that registered it; '' when staff did. */
  registeredByKeyId: string;
}
export const SubscriptionSchema = SchemaFactory.createForClass(Subscription);

const MAX_SUBSCRIPTIONS_PER_KEY = 20;

/**
 * How long a group's subscriptions are reused for matching events without reading them again.
 * This process drops them on its own creates and deletes; another replica starts or stops
 * sending to a new or deleted subscription within this time, as if it had been made a few
 * seconds later (a deleted one's deliveries already fail for good when its secret is gone).
 */
export const SUBSCRIPTIONS_CACHE_MS = 10_000;

const newSubscription = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  // A complaint's events only: the handover book's and work orders' never reach partners.
  events: z.array(z.enum(COMPLAINT_EVENT_TYPES)).max(COMPLAINT_EVENT_TYPES.length),
  secret: z.string().min(16, 'at least 16 characters').max(256),
});

@Injectable()
export class SubscriptionsRepository {
  private readonly cache = new Map<string, { at: number; value: Promise<OpenSubscription[]> }>();

  constructor(
    @InjectModel(Subscription.name) private readonly subscriptions: Model<Subscription>,
    private readonly sealer: Sealer,
  ) {}

  async create(input: {
    groupId: string;
    url: string;
    events: string[];
    secret: string;
    keyId: string;
    propertyIds: string[];
    seesConfidential: boolean;
  }): Promise<OpenSubscription> {
    const parsed = newSubscription.safeParse(input);
    if (!parsed.success) throw invalidArgument('subscription', parsed.error.issues);
    const count = await this.subscriptions.countDocuments({ groupId: input.groupId, keyId: input.keyId });
    if (count >= MAX_SUBSCRIPTIONS_PER_KEY) {
      throw new DomainError('failed_precondition', `an API key may hold ${MAX_SUBSCRIPTIONS_PER_KEY} subscriptions`);
    }
    const id = randomUUID();
    const { secret, ...rest } = parsed.data;
    const created = await this.subscriptions.create({
      _id: id,
      groupId: input.groupId,
      keyId: input.keyId,
      propertyIds: input.propertyIds,
      seesConfidential: input.seesConfidential,
      ...rest,
      sealedSecret: this.sealer.seal(boundTo(id), secret),
    });
    this.cache.delete(input.groupId);
    return this.opened(created.toObject());
  }

  async list(groupId: string, keyId: string): Promise<OpenSubscription[]> {
    const found = await this.subscriptions
      .find({ groupId, ...(keyId ? { keyId } : {}) })
      .sort({ createdAt: 1 })
      .lean<Subscription[]>();
    return Promise.all(found.map((subscription) => this.opened(subscription)));
  }

  async remove(groupId: string, id: string, keyId: string): Promise<void> {
    const { deletedCount } = await this.subscriptions.deleteOne({ _id: id, groupId, ...(keyId ? { keyId } : {}) });
    this.cache.delete(groupId);
    if (deletedCount === 0) throw new NotFoundError(`subscription ${id}`);
  }

  async find(id: string): Promise<OpenSubscription | null> {
    const found = await this.subscriptions.findById(id).lean<Subscription>();
    return found && this.opened(found);
  }

  /**
   * The subscriptions an event of this type at this property goes to: matched in memory against
   * the group's few subscriptions, read once per cache period (never a query per event).
   */
  async matching(groupId: string, type: string, subject: EventSubject): Promise<OpenSubscription[]> {
    const all = await this.ofGroup(groupId);
    return all.filter(
      (subscription) =>
        (subscription.events.length === 0 || subscription.events.includes(type)) &&
        (subscription.propertyIds.length === 0 || subscription.propertyIds.includes(subject.propertyId)) &&
        (!subject.confidential || subscription.seesConfidential || subscription.keyId === subject.registeredByKeyId),
    );
  }

  /**
   * The secret in the clear. One stored in the clear (before sealing) or under a key being
   * rotated away is sealed again with the current key on the way: the rotation follows the reads.
   */
  private async opened(stored: Subscription): Promise<OpenSubscription> {
    const { secret: clear, sealedSecret, ...rest } = stored;
    const secret = sealedSecret ? this.sealer.open(boundTo(stored._id), sealedSecret) : (clear ?? '');
    if (!sealedSecret || sealedSecret.keyId !== this.sealer.currentKeyId) {
      await this.subscriptions.updateOne(
        { _id: stored._id },
        { $set: { sealedSecret: this.sealer.seal(boundTo(stored._id), secret) }, $unset: { secret: 1 } },
      );
    }
    return { ...rest, seesConfidential: rest.seesConfidential ?? false, secret };
  }

  private async ofGroup(groupId: string): Promise<OpenSubscription[]> {
    const cached = this.cache.get(groupId);
    if (cached && Date.now() - cached.at < SUBSCRIPTIONS_CACHE_MS) return cached.value;
    const value = this.subscriptions
      .find({ groupId })
      .lean<Subscription[]>()
      .exec()
      .then((found) => Promise.all(found.map((subscription) => this.opened(subscription))));
    this.cache.set(groupId, { at: Date.now(), value });
    value.catch(() => {
      if (this.cache.get(groupId)?.value === value) this.cache.delete(groupId);
    });
    return value;
  }
}

/** What a sealed secret is bound to: copied onto another subscription, it does not open. */
const boundTo = (id: string) => `subscription:${id}`;
