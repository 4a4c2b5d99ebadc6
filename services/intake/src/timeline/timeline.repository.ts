import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';
import { entryHash, GENESIS_HASH } from './hash-chain';
import { TimelineEntryRecord, type ActorRecord } from './timeline.schema';

export interface NewTimelineEntry {
  sourceId: string;
  at: Date;
  type: string;
  actor: ActorRecord;
  details: Record<string, unknown>;
}

@Injectable()
export class TimelineRepository {
  constructor(@InjectModel(TimelineEntryRecord.name) private readonly entries: Model<TimelineEntryRecord>) {}

  /**
   * Appends at the end of the chain; idempotent by sourceId. Concurrent writers race on the
   * unique `_id` (`<complaint>:<seq>`): the loser re-reads the new end and links to it.
   */
  async append(groupId: string, complaintId: string, entry: NewTimelineEntry): Promise<TimelineEntryRecord> {
    for (;;) {
      const existing = await this.entries
        .findOne({ complaintId, sourceId: entry.sourceId })
        .lean<TimelineEntryRecord>();
      if (existing) return existing;
      const last = await this.entries.findOne({ complaintId }).sort({ seq: -1 }).lean<TimelineEntryRecord>();
      const seq = (last?.seq ?? 0) + 1;
      const facts = {
        complaintId,
        seq,
        at: entry.at.toISOString(),
        type: entry.type,
        actor: { kind: entry.actor.kind, id: entry.actor.id, name: entry.actor.name },
        details: entry.details,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const record: TimelineEntryRecord = {
        _id: `${complaintId}:${seq}`,
        groupId,
        sourceId: entry.sourceId,
        ...facts,
        hash: entryHash(facts),
      };
      try {
        await this.entries.create(record);
        return record;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }

  async list(groupId: string, complaintId: string): Promise<TimelineEntryRecord[]> {
    return this.entries.find({ groupId, complaintId }).sort({ seq: 1 }).lean<TimelineEntryRecord[]>();
  }
}
