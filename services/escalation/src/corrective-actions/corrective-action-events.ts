import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { createEvent, EventBus } from '@complaints/messaging';
import { CorrectiveActionRecords } from './corrective-action-records';
import type { CorrectiveAction } from './steps';

/** A request that has not published its steps after this long has stopped: the relay takes over. */
export const RELAY_AFTER_MS = 5_000;
/**
 * A mark is kept this long (the gateway gives up on a request after 5 s): a request slower than
 * the relay may still store its step, and its events are then published on a later round.
 */
export const ABANDONED_AFTER_MS = 60_000;

/**
 * An action whose steps may not all be on the stream yet (`_id` the action id). Written before a
 * step is stored, deleted once its events are published; so the relay reads only what is in
 * flight, never the actions. `token` names the writer: a request deletes only its own mark, so a
 * concurrent step's mark stays until that step is published too.
 */
@Schema({ collection: 'corrective_action_unpublished', versionKey: false })
export class UnpublishedCorrectiveAction {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) token!: string;
  @Prop({ type: Date, required: true }) since!: Date;
}
export const UnpublishedCorrectiveActionSchema = SchemaFactory.createForClass(UnpublishedCorrectiveAction);

/**
 * The event of one entry of the action's history: its id is the action and the entry's place, so
 * publishing it again (a retry, the relay after a crash) gives the same event, dropped by the
 * stream and by consumers.
 */
export function correctiveActionEvent(action: CorrectiveAction, index: number): v1.EventEnvelope {
  const entry = action.history[index];
  if (!entry) throw new RangeError(`corrective action ${action.id} has no history entry ${index}`);
  return createEvent(
    'corrective_action',
    {
      groupId: action.groupId,
      complaintId: action.complaintId,
      occurredAt: new Date(entry.at),
      idempotencyKey: `corrective-action:${action.id}:${index}`,
    },
    {
      correctiveActionId: action.id,
      step: entry.step,
      actor: entry.by ? { kind: 'staff', id: entry.by.id, name: entry.by.name } : undefined,
      text: entry.text,
      status: statusAfter(action, index),
      owner: { kind: 'staff', id: action.owner.id, name: action.owner.name },
      dueAt: action.dueAt,
      source: action.source,
      propertyId: action.propertyId,
      regionId: action.regionId,
    },
  );
}

/** The status right after the entry: replayed from the history, so an old entry tells its own. */
function statusAfter(action: CorrectiveAction, index: number): string {
  let status = 'open';
  for (const entry of action.history.slice(0, index + 1)) {
    if (entry.step === 'done') status = 'done';
    else if (entry.step === 'verified') status = 'verified';
    else if (entry.step === 'returned' || entry.step === 'opened') status = 'open';
  }
  return status;
}

/**
 * Publishes corrective actions' steps as complaint events (`corrective_action`), so the complaint's
 * timeline and reports see them. Each stored action counts how many of its history entries are on
 * the stream (`published`); whatever follows is published by the request that stored it, by the
 * overdue timer's activity (retried by Temporal until it succeeds), or else by the relay.
 */
@Injectable()
export class CorrectiveActionEvents implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CorrectiveActionEvents.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectModel(UnpublishedCorrectiveAction.name) private readonly unpublished: Model<UnpublishedCorrectiveAction>,
    private readonly records: CorrectiveActionRecords,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.relayOnce()
        .catch((error: unknown) => this.logger.warn(`corrective action relay: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, RELAY_AFTER_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Before a step is stored: should the process stop before it is published, the relay publishes it. */
  async expect(groupId: string, actionId: string): Promise<string> {
    const token = randomUUID();
    await this.unpublished.updateOne(
      { _id: actionId },
      { $set: { groupId, token, since: new Date() } },
      { upsert: true },
    );
    return token;
  }

  /** The step was not stored: nothing waits to be published for this request. */
  async forget(actionId: string, token: string): Promise<void> {
    await this.unpublished.deleteOne({ _id: actionId, token });
  }

  /** The action's entries not yet on the stream, published in order; then the mark `token` wrote goes. */
  async publish(action: CorrectiveAction, token?: string): Promise<number> {
    const from = action.published;
    for (let index = from; index < action.history.length; index++) {
      await this.bus.publish(correctiveActionEvent(action, index));
    }
    if (action.history.length > from) await this.records.markPublished(action.id, action.history.length);
    if (token) await this.unpublished.deleteOne({ _id: action.id, token });
    return action.history.length - from;
  }

  /** Publishes what requests left behind (stopped, or NATS away); returns how many events went out. */
  async relayOnce(now = Date.now()): Promise<number> {
    const marks = await this.unpublished
      .find({ since: { $lte: new Date(now - RELAY_AFTER_MS) } })
      .lean<UnpublishedCorrectiveAction[]>();
    let published = 0;
    for (const mark of marks) {
      const action = await this.records.find(mark.groupId, mark._id);
      if (action) published += await this.publish(action);
      // Its step may never have been stored (the request stopped first): nothing is left to wait for.
      if (now - new Date(mark.since).getTime() > ABANDONED_AFTER_MS) {
        await this.unpublished.deleteOne({ _id: mark._id, token: mark.token });
      }
    }
    if (published > 0) this.logger.log(`published ${published} corrective action event(s) left behind`);
    return published;
  }
}
