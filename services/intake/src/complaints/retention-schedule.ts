import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { RetentionHour } from './complaint.schema';
import { MaintenanceStates } from './maintenance-state';

const HOUR_MS = 60 * 60 * 1000;
const RETENTION_STATE = 'retention';

/** `2026-11-23T08`: the UTC hour of a close, the `_id` of its RetentionHour. */
export function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

export function nextHour(hour: string): string {
  return hourOf(new Date(Date.parse(`${hour}:00:00.000Z`) + HOUR_MS));
}

/** The start of the hour after this one: every close recorded under `hour` happened before it. */
export function endOfHour(hour: string): Date {
  return new Date(Date.parse(`${hour}:00:00.000Z`) + HOUR_MS);
}

/**
 * Which complaints closed in which hour, so retention reads the hours that fell due instead of
 * every complaint. A close is recorded before the write that closes: a crash in between leaves an
 * id whose complaint is still open, which the pass skips. Reopened and closed again, a complaint
 * is recorded again under its new close; the pass checks the record's own close time.
 */
@Injectable()
export class RetentionSchedule {
  /**
   * Closes of one hour share a document. `$addToSet` is atomic on MongoDB; FerretDB v1 rewrites
   * the document without isolation, so within this process the writers of an hour queue here.
   */
  private readonly writes = new PerKeyQueue();

  constructor(
    @InjectModel(RetentionHour.name) private readonly hours: Model<RetentionHour>,
    private readonly state: MaintenanceStates,
  ) {}

  async recordClosed(complaintIds: string[], closedAt: Date): Promise<void> {
    const hour = hourOf(closedAt);
    await this.writes.run(hour, async () => {
      const change = { $addToSet: { complaintIds: { $each: complaintIds } } };
      try {
        await this.hours.updateOne({ _id: hour }, change, { upsert: true });
      } catch (error) {
        // Another replica created the hour at the same moment: it exists now.
        if (!isDuplicateKeyError(error)) throw error;
        await this.hours.updateOne({ _id: hour }, change);
      }
    });
  }

  async closedIn(hour: string): Promise<string[]> {
    return (await this.hours.findById(hour).lean<RetentionHour>())?.complaintIds ?? [];
  }

  /** The last hour whose closes are all handled; undefined before the first pass. */
  async doneThrough(): Promise<string | undefined> {
    return this.state.through(RETENTION_STATE);
  }

  async markDoneThrough(hour: string): Promise<void> {
    await this.state.setThrough(RETENTION_STATE, hour);
  }

  /** Sets where the first pass starts, unless another replica set it already. */
  async startAt(hourBefore: string): Promise<void> {
    await this.state.startAt(RETENTION_STATE, hourBefore);
  }
}
