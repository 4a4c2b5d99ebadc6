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
}

/**
 * Sends one delivery (SPEC §7): waits out quiet hours, then tries until the provider takes it,
 * backing off exponentially with jitter between failures; after a refusal that will not change
 * or the last attempt it is dead, listed, and can be replayed. The timers are Temporal's, so a
 * restart loses nothing and the lifecycle never waits for any of this.
 */
export async function deliveryWorkflow({ deliveryId }: DeliveryWorkflowInput): Promise<'sent' | 'dead'> {
  const plan = await activities.prepare(deliveryId, new Date().toISOString());
  if (plan.alreadySent) return 'sent';
  if (plan.deferUntil) await sleep(Math.max(0, Date.parse(plan.deferUntil) - Date.now()));
  for (let n = 1; n <= plan.maxAttempts; n++) {
    const result = await activities.attempt(deliveryId, plan.attemptsBefore + n);
    if (result.ok) return 'sent';
    if (!result.retryable || n === plan.maxAttempts) break;
    // Math.random is Temporal's seeded one here: replays wait the same.
    await sleep(backoffMs(n, plan.initialBackoffMs, plan.maxBackoffMs, Math.random()));
  }
  await activities.markDead(deliveryId);
  return 'dead';
}
