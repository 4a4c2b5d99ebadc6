import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import { verifyChain, type ChainVerdict } from '../hash-chain';
import { TimelineRepository } from '../timeline.repository';
import type { TimelineEntryRecord } from '../timeline.schema';

@Injectable()
export class ReadTimeline {
  constructor(private readonly timeline: TimelineRepository) {}

  /** `headSeq`: how long the complaint's head says the chain is, so that a removed entry shows as a gap. */
  async entries(groupId: string, complaintId: string, headSeq = 0): Promise<TimelineEntryRecord[]> {
    const entries = await this.timeline.list(groupId, complaintId, headSeq);
    if (entries.length === 0) throw new NotFoundError(`timeline of complaint ${complaintId}`);
    return entries;
  }

  async verify(groupId: string, complaintId: string, headSeq = 0): Promise<ChainVerdict> {
    return verifyChain(await this.entries(groupId, complaintId, headSeq));
  }
}
