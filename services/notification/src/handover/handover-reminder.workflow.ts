import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { HandoverReminderActivities } from './handover-reminder.activities';
import type { HandoverEntryFacts } from './handover-notices';

const activities = proxyActivities<HandoverReminderActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 30 },
});

/** The incoming shift signed the entry: nothing left to remind of. */
export const handoverSigned = defineSignal('handoverSigned');
/** The outgoing shift corrected the entry (its shift's end, its follow-ups …) before it was signed. */
export const handoverCorrected = defineSignal<[HandoverEntryFacts]>('handoverCorrected');

export const handoverReminderWorkflowId = (entryId: string) => `handover-unsigned-${entryId}`;

export interface HandoverReminderInput {
  entry: HandoverEntryFacts;
  /** When it was first written (RFC 3339). */
  writtenAt: string;
  /** How long after its shift ended an entry may stay unsigned. */
  hours: number;
}

/**
 * One handover entry's reminder (交接班未签收): started when the entry is written, it waits until
 * `hours` after the shift ended (or after the entry was written, for one written that late) and,
 * unless the entry was signed meanwhile, tells the desk and the reviewers once. A correction moves
 * the wait with the shift's end. A Temporal timer per entry: nothing scans for unsigned entries.
 */
export async function handoverReminderWorkflow(input: HandoverReminderInput): Promise<'signed' | 'reminded'> {
  let entry = input.entry;
  let signed = false;
  let corrected = false;
  setHandler(handoverSigned, () => {
    signed = true;
  });
  setHandler(handoverCorrected, (facts) => {
    entry = facts;
    corrected = true;
  });
  for (;;) {
    corrected = false;
    const dueAt = Math.max(Date.parse(entry.shiftEnd), Date.parse(input.writtenAt)) + input.hours * 3_600_000;
    await condition(() => signed || corrected, Math.max(1, dueAt - Date.now()));
    if (signed) return 'signed';
    if (corrected) continue;
    await activities.remindUnsigned({ entry, hours: input.hours, dueAt: new Date(dueAt).toISOString() });
    return 'reminded';
  }
}
