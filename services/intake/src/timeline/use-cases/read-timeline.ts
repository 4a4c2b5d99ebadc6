import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import { TimelineSeal, verifyChain, type ChainHead, type ChainVerdict } from '../hash-chain';
import { TimelineRepository } from '../timeline.repository';
import type { TimelineEntryRecord } from '../timeline.schema';

@Injectable()
export class ReadTimeline {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly seal: TimelineSeal,
  ) {}

  /** `headSeq`: how long the complaint's head says the chain is, so that a removed entry shows as a gap. */
  async entries(groupId: string, complaintId: string, headSeq = 0): Promise<TimelineEntryRecord[]> {
    const entries = await this.timeline.list(groupId, complaintId, headSeq);
    if (entries.length === 0) throw new NotFoundError(`timeline of complaint ${complaintId}`);
    return entries;
  }

  /** A page of the entries after `afterSeq` (see TimelineRepository.page). */
  async page(groupId: string, complaintId: string, headSeq: number, page: { afterSeq: number; limit: number }) {
    const found = await this.timeline.page(groupId, complaintId, headSeq, page);
    // A complaint always has its registration entry: none at all means no such complaint here.
    if (found.entries.length === 0 && page.afterSeq === 0)
      throw new NotFoundError(`timeline of complaint ${complaintId}`);
    return found;
  }

  /** `head`: where the complaint says its chain ends, so a chain cut short shows. */
  async verify(groupId: string, complaintId: string, head: ChainHead): Promise<ChainVerdict> {
    return verifyChain(await this.entries(groupId, complaintId, head.seq), this.seal, head);
  }
}
