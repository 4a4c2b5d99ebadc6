import type { DeliverNow } from '../deliveries/deliver-now';
import { entryNotice, type HandoverEntryFacts, type HandoverNotices } from './handover-notices';

export function createHandoverReminderActivities(deps: {
  notices: Pick<HandoverNotices, 'plan'>;
  /** Sends at once like any event's deliveries; a failed send goes to its workflow to retry. */
  deliverNow: Pick<DeliverNow, 'deliver'>;
}) {
  return {
    /** Tells that the entry is still unsigned; the same deliveries however often it is retried. */
    async remindUnsigned(input: { entry: HandoverEntryFacts; hours: number; dueAt: string }): Promise<number> {
      const notice = entryNotice(
        'handover_unsigned',
        input.entry,
        { id: `handover_unsigned:${input.entry.entryId}:${input.dueAt}`, type: 'handover_unsigned' },
        input.hours,
      );
      const planned = await deps.notices.plan(notice);
      await deps.deliverNow.deliver(planned);
      return planned.length;
    },
  };
}
export type HandoverReminderActivities = ReturnType<typeof createHandoverReminderActivities>;
