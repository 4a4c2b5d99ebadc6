import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { RefreshRollups } from '../rollups/refresh-rollups';
import { ComplaintFactsRepository } from './complaint-facts.repository';
import { factEventOf } from './fact-event';

/** Applies one event to its complaint's row, once, and marks the periods whose rollups it changes. */
@Injectable()
export class ProjectEvent {
  constructor(
    private readonly facts: ComplaintFactsRepository,
    private readonly rollups: RefreshRollups,
  ) {}

  /** False for a duplicate, which changes nothing. */
  async project(event: v1.EventEnvelope): Promise<boolean> {
    const recorded = await this.facts.record(event.groupId, event.complaintId, factEventOf(event));
    if (!recorded.applied) return false;
    await this.rollups.rowChanged(event.groupId, [recorded.before?.receivedAt ?? null, recorded.after.receivedAt]);
    return true;
  }
}
