import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { createEvent } from '@complaints/messaging';
import { SPOT_CHECK_VERDICTS } from '@complaints/domain';
import { DomainError } from '@complaints/service-kit';
import type { TimelineEntryRecord } from '../../timeline/timeline.schema';
import { AnnouncedChange } from '../announced-change';
import { ComplaintsRepository } from '../complaints.repository';

type Actor = { kind: string; id: string; name: string };

const spotCheck = z.object({
  verdict: z.enum(SPOT_CHECK_VERDICTS),
  findings: z.string().trim().min(1, 'is required').max(4000, 'at most 4000 characters'),
  followUp: z.string().trim().max(4000, 'at most 4000 characters'),
});
/** As it arrives: checked here, so any words. */
export interface SpotCheckInput {
  verdict: string;
  findings: string;
  followUp: string;
}

/**
 * A quality department's spot check (品质部抽查) of a closed complaint: kept on the complaint and
 * on its timeline as a note of kind spot_check, written like every note (pending event, one write,
 * the entry, the publish). Who may check is the gateway's decision (quality staff).
 */
@Injectable()
export class RecordSpotCheck {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly announced: AnnouncedChange,
  ) {}

  async execute(
    groupId: string,
    complaintId: string,
    actor: Actor,
    input: SpotCheckInput,
  ): Promise<TimelineEntryRecord> {
    const parsed = spotCheck.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue.path[0] ?? 'spotCheck');
      throw new DomainError('invalid_argument', `invalid spot check: ${field} ${issue.message}`, {
        [field]: issue.message,
      });
    }
    const { verdict, findings, followUp } = parsed.data;
    const at = new Date();
    const by = { kind: actor.kind, id: actor.id, name: actor.name };
    const event = createEvent(
      'note_added',
      { groupId, complaintId },
      {
        actor,
        text: findings,
        kind: 'spot_check',
        spotCheck: { verdict, findings, followUp, actor: by, at: at.toISOString() },
      },
    );
    return this.announced.apply(
      event,
      (eventId, entry) =>
        // Only the closed are checked: the handling is over and its record complete.
        this.complaints.addToList(
          groupId,
          complaintId,
          ['closed'],
          { spotChecks: { verdict, findings, followUp, actor: by, at } },
          eventId,
          entry,
        ),
      (complaint) =>
        new DomainError(
          'failed_precondition',
          `complaint ${complaint.number} is ${complaint.status}: only closed complaints are spot-checked`,
          { status: `is ${complaint.status}; allowed only once closed` },
        ),
    );
  }
}
