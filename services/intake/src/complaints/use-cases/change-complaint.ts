import { Injectable } from '@nestjs/common';
import { createEvent, type EventType, type PayloadOf } from '@complaints/messaging';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import type { Status } from '@complaints/domain';
import type { TimelineEntryRecord } from '../../timeline/timeline.schema';
import { IntakeConfig } from '../../config';
import { AnnouncedChange } from '../announced-change';
import { ComplaintsRepository, FINAL_STATUSES, headOf } from '../complaints.repository';
import type { ComplaintRecord } from '../complaint.schema';

type Actor = { kind: string; id: string; name: string };

/** Notes and withdrawal of a complaint not yet closed, each announced by its event. */
@Injectable()
export class ChangeComplaint {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly announced: AnnouncedChange,
    private readonly config: IntakeConfig,
  ) {}

  async addNote(
    groupId: string,
    complaintId: string,
    actor: Actor,
    text: string,
    kind: '' | 'referral_reply' = '',
  ): Promise<TimelineEntryRecord> {
    const trimmed = text.trim();
    if (!trimmed || trimmed.length > 4_000) {
      throw new DomainError('invalid_argument', 'invalid note: text must have 1 to 4000 characters', {
        text: 'must have 1 to 4000 characters',
      });
    }
    // A bound on what one complaint can be made to hold; its lifecycle's entries still go on.
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (kind === 'referral_reply' && complaint && !complaint.referralTicket) {
      throw new DomainError(
        'failed_precondition',
        `complaint ${complaint.number} was not referred by a government body with a ticket: there is nobody to reply to`,
      );
    }
    if (complaint && headOf(complaint).seq >= this.config.maxTimelineEntries) {
      throw new DomainError(
        'failed_precondition',
        `complaint ${complaint.number} has ${headOf(complaint).seq} timeline entries: it takes no more notes`,
        { text: `no more notes once the timeline holds ${this.config.maxTimelineEntries} entries` },
      );
    }
    return this.change(
      groupId,
      complaintId,
      'note_added',
      { actor, text: trimmed, kind, spotCheck: undefined },
      { note: trimmed },
    );
  }

  async withdraw(groupId: string, complaintId: string, actor: Actor, reason: string): Promise<ComplaintRecord> {
    if (reason.length > 2_000) {
      throw new DomainError('invalid_argument', 'invalid withdrawal: reason is too long', {
        reason: 'at most 2000 characters',
      });
    }
    await this.change(
      groupId,
      complaintId,
      'withdrawn',
      { actor, reason: reason.trim() },
      {
        status: 'withdrawn',
        closedAt: new Date(),
      },
    );
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    return complaint;
  }

  private async change<T extends EventType>(
    groupId: string,
    complaintId: string,
    type: T,
    payload: PayloadOf<T>,
    change: { status?: Status; closedAt?: Date; note?: string },
  ): Promise<TimelineEntryRecord> {
    return this.announced.apply(
      createEvent(type, { groupId, complaintId }, payload),
      (eventId, entry) => this.complaints.changeOpenComplaint(groupId, complaintId, change, eventId, entry),
      (complaint) =>
        new DomainError(
          'failed_precondition',
          `complaint ${complaint.number} is ${complaint.status}: nothing more can be done`,
          {
            status: `is ${complaint.status}; allowed only while not ${FINAL_STATUSES.join(', ')}`,
          },
        ),
    );
  }
}
