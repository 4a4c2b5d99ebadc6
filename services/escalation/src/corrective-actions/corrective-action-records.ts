import { Injectable } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, type FilterQuery, type Model } from 'mongoose';
import { CORRECTIVE_SOURCES, type CorrectiveAction, type CorrectiveStatus, type HistoryEntry } from './steps';

/** One corrective action; `_id` derives from what opened it, so a redelivered event opens it once. */
@Schema({ collection: 'corrective_actions', versionKey: false, minimize: false })
export class CorrectiveActionRecord {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) groupId!: string;
  @Prop({ required: true }) propertyId!: string;
  @Prop({ default: '' }) regionId!: string;
  @Prop({ required: true }) complaintId!: string;
  @Prop({ required: true }) source!: string;
  @Prop({ default: '' }) category!: string;
  @Prop({ required: true }) description!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) owner!: { id: string; name: string };
  @Prop({ type: Date, required: true }) dueAt!: Date;
  @Prop({ required: true }) status!: string;
  @Prop({ type: Date, default: null }) overdueAt!: Date | null;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, default: [] }) history!: HistoryEntry[];
  @Prop({ required: true }) version!: number;
  /** History entries published as events; absent on actions stored before they were. */
  @Prop({ default: 0 }) published!: number;
}
export const CorrectiveActionRecordSchema = SchemaFactory.createForClass(CorrectiveActionRecord);
// The lists: a group's actions by status, nearest due first.
CorrectiveActionRecordSchema.index({ groupId: 1, status: 1, dueAt: 1 });

export type CorrectiveFilter = {
  groupId: string;
  propertyIds: string[];
  regionId: string;
  /** open, done, verified, or overdue (open and found past due by its timer). */
  status: CorrectiveStatus | 'overdue' | '';
  ownerId: string;
  limit: number;
};

function toAction(record: CorrectiveActionRecord): CorrectiveAction {
  return {
    id: record._id,
    groupId: record.groupId,
    propertyId: record.propertyId,
    regionId: record.regionId,
    complaintId: record.complaintId,
    source: CORRECTIVE_SOURCES.find((source) => source === record.source) ?? 'resolution',
    category: record.category,
    description: record.description,
    owner: record.owner,
    dueAt: record.dueAt.toISOString(),
    status: record.status as CorrectiveStatus,
    overdueAt: record.overdueAt ? record.overdueAt.toISOString() : null,
    createdAt: record.createdAt.toISOString(),
    history: record.history ?? [],
    version: record.version,
    published: record.published ?? 0,
  };
}

@Injectable()
export class CorrectiveActionRecords {
  constructor(@InjectModel(CorrectiveActionRecord.name) private readonly records: Model<CorrectiveActionRecord>) {}

  /** Stores it unless it exists (a redelivered event); the stored one either way. */
  async open(action: CorrectiveAction): Promise<CorrectiveAction> {
    const { id, dueAt, overdueAt, createdAt, ...rest } = action;
    await this.records.updateOne(
      { _id: id },
      {
        $setOnInsert: {
          ...rest,
          dueAt: new Date(dueAt),
          overdueAt: overdueAt ? new Date(overdueAt) : null,
          createdAt: new Date(createdAt),
        },
      },
      { upsert: true },
    );
    const stored = await this.find(action.groupId, id);
    if (!stored) throw new Error(`corrective action ${id} belongs to another group`);
    return stored;
  }

  async find(groupId: string, id: string): Promise<CorrectiveAction | undefined> {
    const record = await this.records.findById(id).lean<CorrectiveActionRecord>();
    return record?.groupId === groupId ? toAction(record) : undefined;
  }

  /** Saves a step over the version it was decided on; false when someone else changed it meanwhile. */
  async save(action: CorrectiveAction): Promise<boolean> {
    const result = await this.records.updateOne(
      { _id: action.id, version: action.version - 1 },
      { $set: { status: action.status, history: action.history, version: action.version } },
    );
    return result.matchedCount === 1;
  }

  /** The first `count` history entries are on the stream; a slower publisher never lowers it. */
  async markPublished(id: string, count: number): Promise<void> {
    await this.records.updateOne({ _id: id }, { $max: { published: count } });
  }

  /** Marks it overdue if it is still open and not marked yet; true when it did. */
  async markOverdue(id: string, at: Date): Promise<boolean> {
    const result = await this.records.updateOne(
      { _id: id, status: 'open', overdueAt: null },
      {
        $set: { overdueAt: at },
        $push: { history: { step: 'overdue', at: at.toISOString(), by: null, text: '' } },
        $inc: { version: 1 },
      },
    );
    return result.modifiedCount === 1;
  }

  async list(filter: CorrectiveFilter): Promise<CorrectiveAction[]> {
    const query: FilterQuery<CorrectiveActionRecord> = { groupId: filter.groupId };
    if (filter.status === 'overdue') Object.assign(query, { status: 'open', overdueAt: { $ne: null } });
    else if (filter.status) query.status = filter.status;
    if (filter.propertyIds.length > 0) query.propertyId = { $in: filter.propertyIds };
    else if (filter.regionId) query.regionId = filter.regionId;
    if (filter.ownerId) query['owner.id'] = filter.ownerId;
    const records = await this.records
      .find(query)
      .sort({ dueAt: 1, _id: 1 })
      .limit(Math.min(Math.max(filter.limit || 100, 1), 500))
      .lean<CorrectiveActionRecord[]>();
    return records.map(toAction);
  }
}
