import { createEvent, type EventBus } from '@complaints/messaging';
import type { DeadlineBreachedInput } from './types';

/** Activities get their clients injected, so tests can run them against real servers or record calls. */
export function createActivities(deps: { bus: Pick<EventBus, 'publish'> }) {
  return {
    async publishDeadlineBreached(input: DeadlineBreachedInput): Promise<void> {
      await deps.bus.publish(
        createEvent(
          'deadline_breached',
          {
            groupId: input.groupId,
            complaintId: input.complaintId,
            // A retried activity publishes the same event id, which JetStream drops.
            idempotencyKey: `deadline_breached:${input.complaintId}:${input.deadline}`,
          },
          { deadline: input.deadline, dueAt: input.dueAt, severity: input.severity },
        ),
      );
    },
  };
}
