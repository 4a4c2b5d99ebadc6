import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { EVENT_TYPES } from '@complaints/messaging';
import { DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';

/** A partner system's standing order for events (SPEC §7 webhooks), owned by the API key that made it. */
@Schema({ collection: 'subscriptions', timestamps: true })
export class Subscription {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true, index: true }) groupId!: string;
  @Prop({ required: true }) url!: string;
  /** Event types; empty: every type. */
  @Prop({ type: [String], default: [] }) events!: string[];
  /** Signs each delivery (HMAC-SHA256); never shown again. */
  @Prop({ required: true }) secret!: string;
  @Prop({ required: true }) keyId!: string;
  /** The key's property scope; empty: the whole group. */
  @Prop({ type: [String], default: [] }) propertyIds!: string[];
  createdAt?: Date;
}
export const SubscriptionSchema = SchemaFactory.createForClass(Subscription);

const MAX_SUBSCRIPTIONS_PER_KEY = 20;

const newSubscription = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length),
  secret: z.string().min(16, 'at least 16 characters').max(256),
});

@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectModel(Subscription.name) private readonly subscriptions: Model<Subscription>) {}

  async create(input: {
    groupId: string;
    url: string;
    events: string[];
    secret: string;
    keyId: string;
    propertyIds: string[];
  }): Promise<Subscription> {
    const parsed = newSubscription.safeParse(input);
    if (!parsed.success) throw invalidArgument('subscription', parsed.error.issues);
    const count = await this.subscriptions.countDocuments({ groupId: input.groupId, keyId: input.keyId });
    if (count >= MAX_SUBSCRIPTIONS_PER_KEY) {
      throw new DomainError('failed_precondition', `an API key may hold ${MAX_SUBSCRIPTIONS_PER_KEY} subscriptions`);
    }
    const created = await this.subscriptions.create({
      _id: randomUUID(),
      groupId: input.groupId,
      keyId: input.keyId,
      propertyIds: input.propertyIds,
      ...parsed.data,
    });
    return created.toObject();
  }

  async list(groupId: string, keyId: string): Promise<Subscription[]> {
    return this.subscriptions
      .find({ groupId, ...(keyId ? { keyId } : {}) })
      .sort({ createdAt: 1 })
      .lean<Subscription[]>();
  }

  async remove(groupId: string, id: string, keyId: string): Promise<void> {
    const { deletedCount } = await this.subscriptions.deleteOne({ _id: id, groupId, ...(keyId ? { keyId } : {}) });
    if (deletedCount === 0) throw new NotFoundError(`subscription ${id}`);
  }

  async find(id: string): Promise<Subscription | null> {
    return this.subscriptions.findById(id).lean<Subscription>();
  }

  /** The subscriptions an event of this type at this property goes to. */
  async matching(groupId: string, type: string, propertyId: string): Promise<Subscription[]> {
    return this.subscriptions
      .find({
        groupId,
        $and: [
          { $or: [{ events: { $size: 0 } }, { events: type }] },
          { $or: [{ propertyIds: { $size: 0 } }, { propertyIds: propertyId }] },
        ],
      })
      .lean<Subscription[]>();
  }
}
