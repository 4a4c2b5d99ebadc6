import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';
import { AccessLogRecord, ErasureConfirmationRecord, ErasureRequestRecord } from './personal-data.schema';

export interface AccessLogFilter {
  complaintId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
}

/** The access log, erasure requests and their confirmations; every query names the group. */
@Injectable()
export class PersonalDataRepository {
  constructor(
    @InjectModel(AccessLogRecord.name) private readonly accessLog: Model<AccessLogRecord>,
    @InjectModel(ErasureRequestRecord.name) private readonly requests: Model<ErasureRequestRecord>,
    @InjectModel(ErasureConfirmationRecord.name) private readonly confirmations: Model<ErasureConfirmationRecord>,
  ) {}

  async logAccess(entry: AccessLogRecord): Promise<void> {
    await this.accessLog.create(entry);
  }

  /** Newest first; `after` continues after the last entry of the previous page. */
  async listAccess(
    groupId: string,
    filter: AccessLogFilter,
    limit: number,
    after?: { at: Date; id: string },
  ): Promise<AccessLogRecord[]> {
    const and: FilterQuery<AccessLogRecord>[] = [{ groupId }];
    if (filter.complaintId) and.push({ complaintId: filter.complaintId });
    if (filter.actorId) and.push({ 'actor.id': filter.actorId });
    if (filter.from) and.push({ at: { $gte: filter.from } });
    if (filter.to) and.push({ at: { $lt: filter.to } });
    if (after) and.push({ $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] });
    return this.accessLog.find({ $and: and }).sort({ at: -1, _id: -1 }).limit(limit).lean<AccessLogRecord[]>();
  }

  async createRequest(request: ErasureRequestRecord): Promise<void> {
    await this.requests.create(request);
  }

  async findRequest(groupId: string, id: string): Promise<ErasureRequestRecord | null> {
    // By `_id` alone (any other filter is a scan on FerretDB); the group is checked here.
    const found = await this.requests.findById(id).lean<ErasureRequestRecord>();
    return found?.groupId === groupId ? found : null;
  }

  /** A repeated confirmation (a redelivered event) keeps the first one. */
  async confirm(confirmation: ErasureConfirmationRecord): Promise<void> {
    try {
      await this.confirmations.create(confirmation);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async confirmationsOf(groupId: string, requestId: string): Promise<ErasureConfirmationRecord[]> {
    return this.confirmations.find({ groupId, requestId }).limit(100_000).lean<ErasureConfirmationRecord[]>();
  }
}
