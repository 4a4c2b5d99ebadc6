import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { AuditEntry, type AuditOutcome, type AuditSubject } from './audit-entry.schema';

export interface AuditQuery {
  subject?: AuditSubject;
  target?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** The last entry of the page before: `<at ISO>|<id>`. */
  cursor?: string;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEntry.name) private readonly entries: Model<AuditEntry>) {}

  async begin(entry: Omit<AuditEntry, '_id' | 'outcome' | 'after' | 'status'>): Promise<string> {
    const _id = randomUUID();
    await this.entries.create({ ...entry, _id, outcome: 'attempted', after: null, status: null });
    return _id;
  }

  async complete(id: string, outcome: Exclude<AuditOutcome, 'attempted'>, after: unknown, status: number | null) {
    await this.entries.updateOne({ _id: id }, { $set: { outcome, after, status } });
  }

  /** Newest first, a page at a time. */
  async list(groupId: string, query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const filter: FilterQuery<AuditEntry> = { groupId };
    if (query.subject) filter.subject = query.subject;
    if (query.target) filter.target = query.target;
    if (query.actorId) filter['actor.id'] = query.actorId;
    if (query.from || query.to)
      filter.at = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
    const after = cursorOf(query.cursor);
    const page = await this.entries
      .find(
        after
          ? { $and: [filter, { $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] }] }
          : filter,
      )
      .sort({ at: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<AuditEntry[]>();
    const items = page.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: page.length > query.limit && last ? `${last.at.toISOString()}|${last._id}` : null,
    };
  }
}

function cursorOf(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = cursor.split('|');
  const date = new Date(at);
  return id && !Number.isNaN(date.getTime()) ? { at: date, id } : undefined;
}
