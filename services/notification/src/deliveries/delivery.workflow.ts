import { proxyActivities, sleep } from '@temporalio/workflow';
import { backoffMs } from './backoff';
import type { DeliveryActivities } from './delivery.activities';

const activities = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '2 minutes',
  // Retries of the activity itself (a worker crash, MongoDB away); a provider's refusal is an answer, not a retry.
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export interface DeliveryWorkflowInput {
  deliveryId: string;
  /**
   * The first attempt was made in process (the consumer sends every delivery at once) and failed
   * in a way worth retrying: this workflow waits the first backoff, then makes the others.
   */
  triedOnce?: boolean;
}

/**
 * Sends one delivery durably (SPEC §7): waits out quiet hours, then tries until the provider
 * takes it, backing off exponentially with jitter between failures; after a refusal that will not
 * change or the last attempt it is dead, listed, and can be replayed. The timers are Temporal's,
 * so a restart loses nothing and the lifecycle never waits for any of this. Started only for
 * deliveries that need it: a retry, a quiet-hours wait, a replay.
 */
export async function deliveryWorkflow({
  deliveryId,
  triedOnce = false,
}: DeliveryWorkflowInput): Promise<'sent' | 'dead'> {
  const plan = await activities.prepare(deliveryId, new Date().toISOString(), triedOnce);
  if (plan.alreadySent) return 'sent';
  if (plan.deferUntil) await sleep(Math.max(0, Date.parse(plan.deferUntil) - Date.now()));
  // n counts the attempts of this round, the one made in process included.
  const first = triedOnce ? 2 : 1;
  for (let n = first; n <= plan.maxAttempts; n++) {
    // Math.random is Temporal's seeded one here: replays wait the same.
    if (n > 1) await sleep(backoffMs(n - 1, plan.initialBackoffMs, plan.maxBackoffMs, Math.random()));
    const result = await activities.attempt(deliveryId, plan.attemptsBefore + n - first + 1);
    if (result.ok) return 'sent';
    if (!result.retryable) break;
  }
  await activities.markDead(deliveryId);
  return 'dead';
}
