import { Injectable, Logger } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { EventBus } from '@complaints/messaging';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import type { NewTimelineEntry } from '../timeline/timeline.repository';
import type { TimelineEntryRecord } from '../timeline/timeline.schema';
import { timelineEntryFor } from '../timeline/timeline-entries';
import type { OpenChange } from './complaints.repository';
import type { ComplaintRecord } from './complaint.schema';
import { PendingOutbox } from './pending-outbox';

/**
 * A change to a stored complaint that an event announces (a note, a withdrawal, a correction, a
 * reward or penalty, a spot check): the event pending first, then one write to the complaint
 * naming the event, then its timeline entry and the publish. Should this process die in between,
 * the outbox relay publishes the pending event and intake's own consumer places the entry; a
 * write that never happened takes the pending event with it.
 */
@Injectable()
export class AnnouncedChange {
  private readonly logger = new Logger(AnnouncedChange.name);

  constructor(
    private readonly outbox: PendingOutbox,
    private readonly bus: EventBus,
  ) {}

  /**
   * `write` stores the change with the event id and places the entry (the repository decides,
   * under the complaint's lock, whether its status takes it); `refused` says why it did not.
   */
  async apply(
    event: v1.EventEnvelope,
    write: (eventId: string, entry: NewTimelineEntry) => Promise<OpenChange>,
    refused: (complaint: ComplaintRecord) => DomainError,
  ): Promise<TimelineEntryRecord> {
    await this.outbox.add(event);
    const result = await write(event.eventId, timelineEntryFor(event)!);
    if (result.outcome !== 'changed') {
      await this.outbox.remove(event.eventId);
      if (result.outcome === 'missing') throw new NotFoundError(`complaint ${event.complaintId}`);
      throw refused(result.complaint);
    }
    try {
      await this.bus.publish(event);
      this.outbox.published(event.eventId);
    } catch (error) {
      this.logger.warn(`${event.type} event of ${event.complaintId} left to the outbox relay: ${String(error)}`);
    }
    return result.entry;
  }
}
