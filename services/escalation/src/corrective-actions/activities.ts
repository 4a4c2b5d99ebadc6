import { createEvent, type EventBus } from '@complaints/messaging';
import type { CorrectiveActionEvents } from './corrective-action-events';
import type { CorrectiveActionRecords } from './corrective-action-records';

/** The corrective action timer's one activity: idempotent (a retry finds it marked already). */
export function createCorrectiveActivities(deps: {
  records: Pick<CorrectiveActionRecords, 'markOverdue' | 'find'>;
  bus: Pick<EventBus, 'publish'>;
  events: Pick<CorrectiveActionEvents, 'publish'>;
}) {
  return {
    /**
     * Marks it overdue and tells its owner, through a reminder on the complaint that opened it
     * (notification's `corrective_action_overdue`; the complaint's timeline shows it too).
     */
    async markCorrectiveActionOverdue(input: { groupId: string; id: string }): Promise<void> {
      await deps.records.markOverdue(input.id, new Date());
      const action = await deps.records.find(input.groupId, input.id);
      // Its steps on the complaint's events (the overdue one too); a retry publishes what is left.
      if (action) await deps.events.publish(action);
      // Done, verified or gone meanwhile: nobody is told.
      if (!action || action.status !== 'open' || !action.overdueAt) return;
      await deps.bus.publish(
        createEvent(
          'deadline_reminder',
          {
            groupId: action.groupId,
            complaintId: action.complaintId,
            occurredAt: new Date(action.overdueAt),
            // One reminder per action, however often the activity is retried.
            idempotencyKey: `corrective-action:${action.id}:overdue`,
          },
          {
            deadline: 'correctiveActionOverdue',
            dueAt: action.dueAt,
            staff: { kind: 'staff', id: action.owner.id, name: action.owner.name },
          },
        ),
      );
    },
  };
}
