import { Injectable, Logger } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { createEvent, EventBus, type EventType, type PayloadOf } from '@complaints/messaging';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import type { Status } from '@complaints/domain';
import { TimelineRepository } from '../../timeline/timeline.repository';
import type { TimelineEntryRecord } from '../../timeline/timeline.schema';
import { timelineEntryFor } from '../../timeline/timeline-entries';
import { ComplaintsRepository, FINAL_STATUSES } from '../complaints.repository';
import type { ComplaintRecord } from '../complaint.schema';

type Actor = { kind: string; id: string; name: string };

/**
 * Notes and withdrawal: each is one write to the complaint (its event queued in the outbox),
 * then the timeline entry and the publish, which the relay and intake's consumer repeat if
 * this process dies in between.
 */
@Injectable()
export class ChangeComplaint {
  private readonly logger = new Logger(ChangeComplaint.name);

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly timeline: TimelineRepository,
    private readonly bus: EventBus,
  ) {}

  async addNote(groupId: string, complaintId: string, actor: Actor, text: string): Promise<TimelineEntryRecord> {
    const trimmed = text.trim();
    if (!trimmed || trimmed.length > 4_000) {
      throw new DomainError('invalid_argument', 'invalid note: text must have 1 to 4000 characters', {
        text: 'must have 1 to 4000 characters',
      });
    }
    return this.change(groupId, complaintId, 'note_added', { actor, text: trimmed }, {});
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
    change: { status?: Status; closedAt?: Date },
  ): Promise<TimelineEntryRecord> {
    const event = createEvent(type, { groupId, complaintId }, payload);
    const outboxSize = await this.complaints.changeOpenComplaint(groupId, complaintId, change, {
      eventId: event.eventId,
      envelope: Buffer.from(v1.EventEnvelope.encode(event).finish()),
    });
    if (outboxSize === undefined) {
      const complaint = await this.complaints.findById(groupId, complaintId);
      if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
      throw new DomainError(
        'failed_precondition',
        `complaint ${complaint.number} is ${complaint.status}: nothing more can be done`,
        {
          status: `is ${complaint.status}; allowed only while not ${FINAL_STATUSES.join(', ')}`,
        },
      );
    }
    const entry = await this.timeline.append(groupId, complaintId, timelineEntryFor(event)!);
    try {
      await this.bus.publish(event);
      await this.complaints.clearOutbox(groupId, complaintId, outboxSize);
    } catch (error) {
      this.logger.warn(`${type} event of ${complaintId} left to the outbox relay: ${String(error)}`);
    }
    return entry;
  }
}
