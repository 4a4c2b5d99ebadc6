import { Injectable } from '@nestjs/common';
import {
  CONSEQUENCE_MEASURES,
  consequenceAmountProblem,
  consequenceRefusal,
  staffConsequence,
  type Status,
} from '@complaints/domain';
import { createEvent } from '@complaints/messaging';
import { actorToProto, DomainError, invalidArgument, NotFoundError, type ActorRef } from '@complaints/service-kit';
import { ManageDirectory } from '../../directory/use-cases/manage-directory';
import type { TimelineEntryRecord } from '../../timeline/timeline.schema';
import { AnnouncedChange } from '../announced-change';
import { ComplaintsRepository } from '../complaints.repository';
import type { ComplaintRecord, StaffConsequenceRecord } from '../complaint.schema';

export interface RecordStaffConsequenceInput {
  staffId: string;
  measure: string;
  amount: string;
  reason: string;
}

/** Once resolved the facts are known: rewards and penalties are decided then, also after closing. */
const DECIDED: readonly Status[] = ['resolved', 'callback_done', 'closed'];

/**
 * A reward or penalty for a staff member decided after a complaint (奖惩, seeds 000 五 and 003:
 * 处罚直接责任者): by a staff member whose level may decide that measure and is above the
 * colleague's; once the complaint was resolved (the facts are known), also after it closed.
 * The event pending first, one write to the record, the timeline entry, the publish.
 */
@Injectable()
export class RecordStaffConsequence {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly directory: ManageDirectory,
    private readonly announced: AnnouncedChange,
  ) {}

  async execute(
    groupId: string,
    complaintId: string,
    actor: ActorRef,
    input: RecordStaffConsequenceInput,
  ): Promise<{ complaint: ComplaintRecord; entry: TimelineEntryRecord }> {
    const parsed = staffConsequence.safeParse({ ...input, amount: input.amount || undefined });
    if (!parsed.success) throw invalidArgument('reward or penalty', parsed.error.issues);
    const wanted = parsed.data;
    const amountProblem = consequenceAmountProblem(wanted.measure, wanted.amount);
    if (amountProblem) {
      throw new DomainError('invalid_argument', `invalid reward or penalty: amount ${amountProblem}`, {
        amount: amountProblem,
      });
    }
    const decider = actor.kind === 'staff' ? await this.directory.staffMember(groupId, actor.id) : null;
    if (!decider || decider.inactive) {
      throw new DomainError(
        'permission_denied',
        'a reward or penalty is decided by an active staff member of the group',
      );
    }
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    if (!DECIDED.includes(complaint.status)) throw notDecided(complaint);
    const staff = await this.directory.staffMember(groupId, wanted.staffId);
    if (!staff) {
      throw new DomainError(
        'invalid_argument',
        `invalid reward or penalty: staff ${wanted.staffId} is not in this group`,
        {
          staffId: 'is not a staff member of this group',
        },
      );
    }
    if (staff.id === actor.id) {
      throw new DomainError('permission_denied', 'nobody decides a reward or penalty for themselves');
    }
    const refusal = consequenceRefusal(wanted.measure, decider.roleLevel, staff.roleLevel);
    if (refusal) throw new DomainError('permission_denied', refusal);

    const decidedAt = new Date();
    const consequence: StaffConsequenceRecord = {
      staffId: staff.id,
      staffName: staff.name,
      kind: CONSEQUENCE_MEASURES[wanted.measure].kind,
      measure: wanted.measure,
      amount: wanted.amount ?? '',
      reason: wanted.reason,
      decidedBy: actor,
      decidedLevel: decider.roleLevel,
      decidedAt,
    };
    const event = createEvent(
      'staff_consequence',
      { groupId, complaintId, occurredAt: decidedAt },
      { consequence: { ...consequence, decidedBy: actorToProto(actor), decidedAt: decidedAt.toISOString() } },
    );
    const entry = await this.announced.apply(
      event,
      (eventId, newEntry) =>
        this.complaints.addToList(groupId, complaintId, DECIDED, { consequences: consequence }, eventId, newEntry),
      // Its status changed since it was read above (reopened, say).
      (changed) => notDecided(changed),
    );
    const stored = await this.complaints.findById(groupId, complaintId);
    if (!stored) throw new NotFoundError(`complaint ${complaintId}`);
    return { complaint: stored, entry };
  }
}

function notDecided(complaint: ComplaintRecord): DomainError {
  return new DomainError(
    'failed_precondition',
    `complaint ${complaint.number} is ${complaint.status}: rewards and penalties are decided once it is resolved`,
    { status: `is ${complaint.status}; allowed once resolved` },
  );
}
