import { ApplicationFailure } from '@temporalio/common';
import { metrics } from '@complaints/service-kit';
import type { SendResult } from '../channels/channel';
import type { ChannelSenders } from '../channels/channel-senders';
import type { SettingsRepository } from '../settings/settings.repository';
import type { SubscriptionsRepository } from '../webhooks/subscriptions.repository';
import type { DeliveriesRepository, Delivery } from './deliveries.repository';
import { quietUntil } from './quiet-hours';
import { complainantAddress } from './plan-notifications';

export interface DeliveryPlan {
  alreadySent: boolean;
  deferUntil: string | null;
  attemptsBefore: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** Activities get their repositories and senders injected: tests run them on the real servers. */
export function createDeliveryActivities(deps: {
  deliveries: Pick<DeliveriesRepository, 'find' | 'recordAttempt' | 'setStatus'>;
  settings: Pick<SettingsRepository, 'forGroup'>;
  subscriptions: Pick<SubscriptionsRepository, 'find'>;
  senders: Pick<ChannelSenders, 'send'>;
  /** The complainant's clear contact, from intake at send time; null once erased. */
  contacts: { contactOf(groupId: string, complaintId: string): Promise<string | null> };
}) {
  /**
   * A complainant's delivery stores only the masked address: the real one is asked of intake now
   * and lives in memory for this one send. Erased meanwhile: there is nobody to send to.
   */
  const addressed = async (delivery: Delivery): Promise<Delivery | string> => {
    if (delivery.recipientKind !== 'complainant') return delivery;
    const contact = await deps.contacts.contactOf(delivery.groupId, delivery.recipientId);
    const address = contact === null ? undefined : complainantAddress(contact);
    if (!address || address.channel !== delivery.channel) return "the complainant's contact was erased or changed";
    return { ...delivery, to: address.to };
  };
  const load = async (id: string) => {
    const delivery = await deps.deliveries.find(id);
    if (!delivery) throw ApplicationFailure.nonRetryable(`delivery ${id} not found`);
    return delivery;
  };
  return {
    /**
     * `now` is the workflow's clock, so quiet hours follow Temporal's time. `retrying`: the first
     * attempt was made outside quiet hours already; retries do not wait for the morning.
     */
    async prepare(id: string, now: string, retrying = false): Promise<DeliveryPlan> {
      const delivery = await load(id);
      const { settings } = await deps.settings.forGroup(delivery.groupId);
      const base = {
        attemptsBefore: delivery.attempts.length,
        maxAttempts: settings.retry.maxAttempts,
        initialBackoffMs: settings.retry.initialBackoffSeconds * 1000,
        maxBackoffMs: settings.retry.maxBackoffSeconds * 1000,
      };
      if (delivery.status === 'sent') return { ...base, alreadySent: true, deferUntil: null };
      const until =
        !retrying && delivery.respectsQuietHours && settings.quietHours
          ? quietUntil(new Date(now), settings.quietHours, delivery.timeZone)
          : null;
      if (until) await deps.deliveries.setStatus(id, 'deferred', until);
      return { ...base, alreadySent: false, deferUntil: until?.toISOString() ?? null };
    },

    async attempt(id: string, number: number): Promise<{ ok: boolean; retryable: boolean }> {
      const delivery = await load(id);
      if (delivery.status === 'sent') return { ok: true, retryable: false };
      const { settings } = await deps.settings.forGroup(delivery.groupId);
      const secret =
        delivery.channel === 'webhook' ? ((await deps.subscriptions.find(delivery.recipientId))?.secret ?? null) : null;
      const target = await addressed(delivery);
      const result: SendResult =
        delivery.channel === 'webhook' && secret === null
          ? { ok: false, retryable: false, providerResponse: '', error: 'the subscription was deleted' }
          : typeof target === 'string'
            ? { ok: false, retryable: false, providerResponse: '', error: target }
            : await deps.senders.send(target, settings, secret ?? '');
      await deps.deliveries.recordAttempt(
        id,
        {
          number,
          at: new Date(),
          ok: result.ok,
          providerResponse: result.providerResponse.slice(0, 2000),
          error: result.ok ? '' : result.error.slice(0, 2000),
        },
        result.ok ? 'sent' : 'failed',
      );
      metrics.notificationDeliveries.inc({ channel: delivery.channel, status: result.ok ? 'sent' : 'failed' });
      return { ok: result.ok, retryable: !result.ok && result.retryable };
    },

    async markDead(id: string): Promise<void> {
      const delivery = await load(id);
      await deps.deliveries.setStatus(id, 'dead');
      metrics.notificationDeliveries.inc({ channel: delivery.channel, status: 'dead' });
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
