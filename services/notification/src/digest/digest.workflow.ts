import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { DigestActivities } from './digest.activities';

const activities = proxyActivities<DigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 30 },
});

/** Days between restarts of the history (continue-as-new), so it never grows long. */
const DAYS_PER_RUN = 30;

/**
 * The daily digest of a group (SPEC §7, seed: results reported by 17:00): every day at the
 * group's digest time, each handler gets their open items. A Temporal timer rather than a
 * schedule, so that it runs on the time-skipping test server too; it is as durable.
 */
export async function digestWorkflow({ groupId }: { groupId: string }): Promise<void> {
  for (let day = 0; day < DAYS_PER_RUN; day++) {
    const next = await activities.nextDigestAt(groupId, new Date().toISOString());
    await sleep(Math.max(0, Date.parse(next.at) - Date.now()));
    await activities.sendDigests(groupId, next.localDate);
  }
  await continueAsNew<typeof digestWorkflow>({ groupId });
}
