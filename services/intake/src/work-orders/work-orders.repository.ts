import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { ComplaintWorkOrders, MaintenanceLoad, UnitRepairs, WorkOrderRecord } from './work-order.schema';
import type { EarlierRepair } from './work-order-rules';

export interface WorkOrderFilter {
  propertyScope: string[];
  regionScope: string[];
  propertyIds: string[];
  statuses: string[];
  trades: string[];
  assigneeId: string;
  overdueOnly: boolean;
}

/** Where a page ended: the raisedAt and id of its last work order. */
export interface WorkOrderCursor {
  at: Date;
  id: string;
}

/** Repairs of a unit kept for the repeat check: the last few are enough to find one within 90 days. */
const UNIT_REPAIRS_KEPT = 20;

/**
 * Work orders and what hangs off them, each read and written by `_id` (FerretDB scans for any
 * other filter); the list alone queries. A work order's steps are read, decided in code and
 * written back, one at a time per work order within this process.
 */
@Injectable()
export class WorkOrdersRepository {
  private readonly writes = new PerKeyQueue();

  constructor(
    @InjectModel(WorkOrderRecord.name) private readonly workOrders: Model<WorkOrderRecord>,
    @InjectModel(ComplaintWorkOrders.name) private readonly links: Model<ComplaintWorkOrders>,
    @InjectModel(UnitRepairs.name) private readonly units: Model<UnitRepairs>,
    @InjectModel(MaintenanceLoad.name) private readonly loads: Model<MaintenanceLoad>,
  ) {}

  /** Stores a new work order; 'duplicate' when one with its id is stored already (a retried raise). */
  async insert(record: WorkOrderRecord): Promise<'inserted' | 'duplicate'> {
    try {
      await this.workOrders.create(record);
      return 'inserted';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
  }

  async findById(groupId: string, id: string): Promise<WorkOrderRecord | undefined> {
    const found = await this.workOrders.findById(id).lean<WorkOrderRecord>();
    return found?.groupId === groupId ? found : undefined;
  }

  /**
   * Reads the work order, lets `change` decide on it (it throws to refuse), and writes what it
   * returns; undefined when it is not this group's.
   */
  async update(
    groupId: string,
    id: string,
    change: (record: WorkOrderRecord) => Partial<WorkOrderRecord> | undefined,
    beforeWrite?: (before: WorkOrderRecord, after: WorkOrderRecord) => Promise<Partial<WorkOrderRecord>>,
  ): Promise<{ before: WorkOrderRecord; after: WorkOrderRecord } | undefined> {
    return this.writes.run(id, async () => {
      const before = await this.findById(groupId, id);
      if (!before) return undefined;
      const decided = change(before);
      if (!decided || Object.keys(decided).length === 0) return { before, after: before };
      // What goes with the change in the same write (the event announcing it).
      const set = { ...decided, ...(beforeWrite ? await beforeWrite(before, { ...before, ...decided }) : {}) };
      await this.workOrders.updateOne({ _id: id }, { $set: set });
      return { before, after: { ...before, ...set } };
    });
  }

  async list(groupId: string, filter: WorkOrderFilter, limit: number, cursor?: WorkOrderCursor) {
    const and: FilterQuery<WorkOrderRecord>[] = [{ groupId }];
    if (filter.propertyScope.length > 0) and.push({ propertyId: { $in: filter.propertyScope } });
    if (filter.regionScope.length > 0) and.push({ regionId: { $in: filter.regionScope } });
    if (filter.propertyIds.length > 0) and.push({ propertyId: { $in: filter.propertyIds } });
    if (filter.statuses.length > 0) and.push({ status: { $in: filter.statuses } });
    if (filter.trades.length > 0) and.push({ trade: { $in: filter.trades } });
    if (filter.assigneeId) and.push({ assigneeId: filter.assigneeId });
    if (filter.overdueOnly) and.push({ $or: [{ arrivalOverdue: true }, { completionOverdue: true }] });
    if (cursor) and.push({ $or: [{ raisedAt: { $lt: cursor.at } }, { raisedAt: cursor.at, _id: { $lt: cursor.id } }] });
    return this.workOrders.find({ $and: and }).sort({ raisedAt: -1, _id: -1 }).limit(limit).lean<WorkOrderRecord[]>();
  }

  async link(groupId: string, complaintId: string, workOrderId: string): Promise<void> {
    await this.links.updateOne(
      { _id: `${groupId}:${complaintId}` },
      { $addToSet: { workOrderIds: workOrderId } },
      { upsert: true },
    );
  }

  async ofComplaint(groupId: string, complaintId: string): Promise<WorkOrderRecord[]> {
    const link = await this.links.findById(`${groupId}:${complaintId}`).lean<ComplaintWorkOrders>();
    const found = await Promise.all((link?.workOrderIds ?? []).map((id) => this.findById(groupId, id)));
    return found
      .filter((record): record is WorkOrderRecord => record !== undefined)
      .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
  }

  /** The unit's earlier repairs, then this one added to them. */
  async recordRepair(key: string, repair: EarlierRepair): Promise<EarlierRepair[]> {
    const unit = await this.units.findById(key).lean<UnitRepairs>();
    const earlier = (unit?.repairs ?? []).filter((known) => known.id !== repair.id);
    await this.units.updateOne(
      { _id: key },
      { $set: { repairs: [...earlier, repair].slice(-UNIT_REPAIRS_KEPT) } },
      { upsert: true },
    );
    return earlier;
  }

  async loadOf(groupId: string, staffId: string): Promise<number> {
    return (await this.loads.findById(`${groupId}:${staffId}`).lean<MaintenanceLoad>())?.open ?? 0;
  }

  async addLoad(groupId: string, staffId: string, by: 1 | -1): Promise<void> {
    if (!staffId) return;
    await this.loads.updateOne({ _id: `${groupId}:${staffId}` }, { $inc: { open: by } }, { upsert: true });
  }
}
