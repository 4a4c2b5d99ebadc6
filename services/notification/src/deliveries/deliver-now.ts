import { metrics } from '@complaints/service-kit';
import type { SendResult } from '../channels/channel';
import type { ChannelSenders } from '../channels/channel-senders';
import type { SettingsRepository } from '../settings/settings.repository';
import type { Attempt, DeliveriesRepository, Delivery, DeliveryStatus, NewDelivery } from './deliveries.repository';
import type { DispatchDelivery } from './dispatch-delivery';
import { quietUntil } from './quiet-hours';
import { SendSlots } from './send-slots';

/** One delivery an event (or a digest) asks for, with what its single send needs in memory. */
export interface PlannedDelivery {
  delivery: NewDelivery;
  /** A complainant's clear address, for this send only: the record keeps the masked one. */
  sendTo?: string;
  /** A webhook subscription's signing secret. */
  secret?: string;
}

interface Outcome {
  id: string;
  /** What to write; nothing for a delivery that was settled before. */
  record?: { id: string; status: DeliveryStatus; attempt?: Attempt; deferredUntil?: Date | null };
  /** Hand it to its delivery workflow: a durable retry or a wait through quiet hours. */
  handOver?: { triedOnce: boolean };
}

/**
 * Sends an event's deliveries at once, in this process (SPEC §7): stores them first by their
 * deterministic `_id` (one insert), sends those not sent yet side by side within the process's
 * send slots, records what became of them (one bulk write by `_id`). Only a send worth retrying
 * or one that quiet hours hold goes to Temporal, to its delivery workflow, which waits durably.
 *
 * The caller acknowledges the event only after this resolves, so a crash part-way redelivers it:
 * deliveries marked sent or dead are not sent again, those handed over are handed over again (a
 * no-op when the workflow runs), and those still pending are sent (a crash between a provider's
 * acceptance and the record may send one twice: at least once, as before).
 */
export class DeliverNow {
  private readonly slots: SendSlots;

  constructor(
    private readonly deps: {
      deliveries: Pick<DeliveriesRepository, 'storeAll' | 'recordOutcomes'>;
      settings: Pick<SettingsRepository, 'forGroup'>;
      senders: Pick<ChannelSenders, 'send'>;
      dispatch: Pick<DispatchDelivery, 'start'>;
    },
    options: { concurrency: number },
  ) {
    this.slots = new SendSlots(options.concurrency);
  }

  /** `now` decides quiet hours (tests pass Temporal's test clock). */
  async deliver(planned: readonly PlannedDelivery[], now = new Date()): Promise<void> {
    if (planned.length === 0) return;
    const stored = await this.deps.deliveries.storeAll(
      planned.map((item) => item.delivery),
      now,
    );
    const outcomes = await Promise.all(planned.map((item, index) => this.settle(item, stored[index], now)));
    await this.deps.deliveries.recordOutcomes(outcomes.flatMap((outcome) => (outcome.record ? [outcome.record] : [])));
    // Started after the record: a workflow finds the first attempt (or the deferral) stored.
    await Promise.all(
      outcomes.flatMap((outcome) =>
        outcome.handOver ? [this.deps.dispatch.start(outcome.id, 0, outcome.handOver.triedOnce)] : [],
      ),
    );
  }

  private async settle(item: PlannedDelivery, stored: Delivery, now: Date): Promise<Outcome> {
    const id = stored._id;
    switch (stored.status) {
      case 'sent':
      case 'dead':
        return { id };
      case 'failed':
      case 'deferred':
        // Handed over before the crash, or about to be: starting it again is a no-op.
        return { id, handOver: { triedOnce: stored.attempts.length > 0 } };
      case 'pending':
        break;
    }
    const { settings } = await this.deps.settings.forGroup(stored.groupId);
    const until =
      stored.respectsQuietHours && settings.quietHours ? quietUntil(now, settings.quietHours, stored.timeZone) : null;
    if (until) return { id, record: { id, status: 'deferred', deferredUntil: until }, handOver: { triedOnce: false } };
    // Without its clear address in memory (not planned by this process) the workflow asks intake.
    if (stored.recipientKind === 'complainant' && !item.sendTo) return { id, handOver: { triedOnce: false } };

    const result = await this.slots.run(() => this.send(stored, item, settings));
    const number = stored.attempts.length + 1;
    const attempt: Attempt = {
      number,
      at: new Date(),
      ok: result.ok,
      providerResponse: result.providerResponse.slice(0, 2000),
      error: result.ok ? '' : result.error.slice(0, 2000),
    };
    metrics.notificationDeliveries.inc({ channel: stored.channel, status: result.ok ? 'sent' : 'failed' });
    if (result.ok) return { id, record: { id, status: 'sent', attempt } };
    if (!result.retryable || number >= settings.retry.maxAttempts) {
      metrics.notificationDeliveries.inc({ channel: stored.channel, status: 'dead' });
      return { id, record: { id, status: 'dead', attempt } };
    }
    return { id, record: { id, status: 'failed', attempt }, handOver: { triedOnce: true } };
  }

  private send(
    stored: Delivery,
    item: PlannedDelivery,
    settings: Awaited<ReturnType<SettingsRepository['forGroup']>>['settings'],
  ): Promise<SendResult> {
    if (stored.channel === 'webhook' && !item.secret) {
      return Promise.resolve({
        ok: false,
        retryable: false,
        providerResponse: '',
        error: 'the subscription was deleted',
      });
    }
    const target = stored.recipientKind === 'complainant' && item.sendTo ? { ...stored, to: item.sendTo } : stored;
    return this.deps.senders.send(target, settings, item.secret ?? '');
  }
}
