import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { ROLE_LEVELS } from '@complaints/domain';
import { firstReplyDueAt } from '../deadlines/default-policy';
import type { createActivities } from './activities';
import { mergeSignal, stateQuery, withdrawSignal } from './messages';
import type { LifecycleInput, LifecycleState } from './types';

const { publishDeadlineBreached } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  // A breach must reach people however long NATS is away: retry without limit.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * The lifecycle of one complaint (SPEC §4–§6). Walking skeleton: it holds the first-reply
 * deadline and escalates one level when it passes; the lifecycle actions that meet the
 * deadline and move the status on arrive as updates.
 */
export async function complaintLifecycleWorkflow(input: LifecycleInput): Promise<void> {
  const firstReply = {
    name: 'firstReplyBy' as const,
    dueAt: firstReplyDueAt(new Date(input.receivedAt), input.severity).toISOString(),
    met: false,
    breached: false,
  };
  const state: LifecycleState = {
    groupId: input.groupId,
    status: 'assigned',
    severity: input.severity,
    level: 'frontline',
    deadlines: [firstReply],
  };
  setHandler(stateQuery, () => state);
  setHandler(withdrawSignal, () => {
    state.status = 'withdrawn';
  });
  setHandler(mergeSignal, () => {
    state.status = 'merged';
  });
  const ended = () => state.status === 'closed' || state.status === 'withdrawn' || state.status === 'merged';

  // Date.now() is the workflow's deterministic clock; a deadline already past breaches at once.
  const remainingMs = Math.max(Date.parse(firstReply.dueAt) - Date.now(), 1);
  const replied = await condition(() => firstReply.met || ended(), remainingMs);
  if (!replied) {
    firstReply.breached = true;
    state.level = ROLE_LEVELS[Math.min(ROLE_LEVELS.indexOf(state.level) + 1, ROLE_LEVELS.length - 1)];
    await publishDeadlineBreached({
      groupId: input.groupId,
      complaintId: input.complaintId,
      deadline: firstReply.name,
      dueAt: firstReply.dueAt,
      severity: input.severity,
    });
  }

  await condition(ended);
}
