import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PerKeyQueue } from '@complaints/service-kit';
import { HandlerLoad } from './keyed.schema';

/** Changes each counter remembers: enough for a retry after a crash between a decision and its counters. */
export const LOAD_OPS_KEPT = 200;
/** A change older than this is taken as applied when its event comes again (its id may have left the counter's memory). */
const RECHECK_MS = 10 * 60 * 1000;

export interface LoadCharge {
  seq: number;
  from: string;
  to: string;
  at: Date | null;
}

export const NO_CHARGE: LoadCharge = { seq: 0, from: '', to: '', at: null };

/** The charge after a change of state or handler: open complaints count for their handler. */
export function nextCharge(
  current: LoadCharge | undefined,
  next: { state: 'open' | 'closed'; handler: { id: string } | null },
  at = new Date(),
): LoadCharge {
  const charge = current ?? NO_CHARGE;
  const to = next.state === 'open' && next.handler ? next.handler.id : '';
  return to === charge.to ? charge : { seq: charge.seq + 1, from: charge.to, to, at };
}

/**
 * How a charge is applied: `fresh` right after the write that made it (its id is new, so no
 * earlier attempt can have applied it: nothing to check); `replay` when an event or request
 * comes again and finds the decision already changed (an earlier attempt may have died before
 * the counters, or after: checked against their memory while it still holds the change).
 */
export type ChargeMode = 'fresh' | 'replay';

/** `fresh` when the write just made moved the charge, `replay` when the charge was there before. */
export function chargeMode(before: { charge?: LoadCharge }, after: { charge: LoadCharge }): ChargeMode {
  return after.charge.seq !== (before.charge?.seq ?? 0) ? 'fresh' : 'replay';
}

/**
 * `routing_handler_loads`: open complaints per staff member, counted as decisions open, close
 * and change hands, instead of counting decisions (a scan) for every complaint routed.
 *
 * Each counter change is an `$inc` by `_id` (atomic on MongoDB, so replicas add up right there),
 * queued per counter in this process because FerretDB v1 rewrites the document without
 * isolation. The decision is written first, then the counters: a process that dies between
 * the two leaves the change pending until its event is delivered again or the staff request
 * is retried (within RECHECK_MS, while the counters remember their latest LOAD_OPS_KEPT
 * changes); past that, or if two replicas apply one change at the same moment (the same event
 * handled twice at once), a count can be one off. The count only orders who gets the next
 * complaint, so one off shifts a choice and nothing else; it was exact before (counted from the
 * decisions each time, at the price of a scan per staff member per complaint).
 */
@Injectable()
export class HandlerLoads {
  private readonly queue = new PerKeyQueue();
  /** Length of each counter's change log when last read: trimmed by a checked write once full. */
  private readonly logLength = new Map<string, number>();

  constructor(@InjectModel(HandlerLoad.name) private readonly loads: Model<HandlerLoad>) {}

  /** Open complaints of each staff member (one read by `_id` each). */
  async openCounts(groupId: string, staffIds: readonly string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(
      staffIds.map(async (staffId) => {
        const id = `${groupId}:${staffId}`;
        const stored = await this.loads.findById(id).lean<HandlerLoad>();
        this.logLength.set(id, stored?.ops.length ?? 0);
        // A counter that missed an open (see above) must not make anyone look busier than idle.
        return [staffId, Math.max(0, stored?.open ?? 0)] as const;
      }),
    );
    return new Map(counts);
  }

  /** Applies a decision's latest charge to the counters it names. */
  async apply(groupId: string, complaintId: string, charge: LoadCharge | undefined, mode: ChargeMode): Promise<void> {
    // Decisions stored before counters existed carry no charge: they were never counted.
    if (!charge || charge.seq === 0) return;
    if (mode === 'replay' && (!charge.at || Date.now() - charge.at.getTime() > RECHECK_MS)) return;
    const op = `${complaintId}:${charge.seq}`;
    if (charge.from) await this.change(groupId, charge.from, op, -1, mode === 'replay');
    if (charge.to) await this.change(groupId, charge.to, op, 1, mode === 'replay');
  }

  private change(groupId: string, staffId: string, op: string, delta: number, checked: boolean): Promise<void> {
    const id = `${groupId}:${staffId}`;
    return this.queue.run(id, async () => {
      const full = (this.logLength.get(id) ?? 0) >= LOAD_OPS_KEPT;
      let log: string[] | undefined;
      if (checked || full) {
        const stored = await this.loads.findById(id, { ops: 1 }).lean<Pick<HandlerLoad, 'ops'>>();
        log = stored?.ops ?? [];
        if (log.includes(op)) return;
      }
      const remember =
        log && log.length >= LOAD_OPS_KEPT
          ? { $set: { ops: [...log.slice(-(LOAD_OPS_KEPT - 1)), op] } }
          : { $push: { ops: op } };
      await this.loads.updateOne(
        { _id: id },
        { $inc: { open: delta }, ...remember, $setOnInsert: { groupId, staffId } },
        { upsert: true },
      );
      this.logLength.set(id, log ? Math.min(log.length + 1, LOAD_OPS_KEPT) : (this.logLength.get(id) ?? 0) + 1);
    });
  }
}
