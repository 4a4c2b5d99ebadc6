import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { isHandoverEvent } from '@complaints/messaging';
import { RefreshRollups } from '../rollups/refresh-rollups';
import { ComplaintFactsRepository } from './complaint-facts.repository';
import { factEventOf } from './fact-event';

/** Applies one event to its complaint's row, once, and notes the change for the rollups. */
@Injectable()
export class ProjectEvent {
  constructor(
    private readonly facts: ComplaintFactsRepository,
    private readonly rollups: RefreshRollups,
  ) {}

  /** False for a duplicate, which changes nothing, and for an event about no complaint. */
  async project(event: v1.EventEnvelope): Promise<boolean> {
    // The handover book's events (keyed by an entry, a day or a month): no row of the figures is
    // theirs, whether they arrive live or in a rebuild from the stream.
    if (isHandoverEvent(event)) return false;
    const recorded = await this.facts.record(event.groupId, event.complaintId, factEventOf(event));
    if (!recorded.applied) {
      if (recorded.stored) await this.rollups.rowChanged(null, recorded.stored);
      return false;
    }
    await this.rollups.rowChanged(recorded.before, recorded.after);
    return true;
  }
}
