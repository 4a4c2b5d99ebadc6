import type { Urgency } from '@complaints/domain';
import { CN_MAINLAND_CALENDAR } from '../deadlines/cn-mainland-calendar';
import { DurationError, parseDuration, type TimeBasis } from '../deadlines/durations';
import { addTime, businessDayMs, durationMs, type WorkingCalendar } from '../deadlines/working-calendar';

// Pure: runs in the gRPC handler and is tested on its own.

export interface WorkOrderLimit {
  duration: string;
  basis: TimeBasis;
}

/** How soon maintenance must be there and be done for one urgency (报修 响应时限). */
export interface UrgencyLimits {
  arrive: WorkOrderLimit;
  complete: WorkOrderLimit;
}

/**
 * The limits every group starts with, by urgency; a group, region or property may set its own in
 * its deadline policy (`workOrders`). An emergency (a burst pipe, a stopped lift) runs on the
 * clock, day and night; the others count working time on the region's calendar, as complaint
 * deadlines do.
 */
export const WORK_ORDER_LIMITS: Record<Urgency, UrgencyLimits> = {
  emergency: { arrive: { duration: 'PT30M', basis: 'calendar' }, complete: { duration: 'PT4H', basis: 'calendar' } },
  urgent: { arrive: { duration: 'PT2H', basis: 'working' }, complete: { duration: 'P1D', basis: 'working' } },
  normal: { arrive: { duration: 'P1D', basis: 'working' }, complete: { duration: 'P3D', basis: 'working' } },
};

const DAY_MS = 24 * 3_600_000;

/**
 * A limit's length without a calendar: a calendar day is 24 hours, a working day the shipped
 * calendar's business day. Policies are set for the group before any region's calendar is known,
 * so this is what "arrive no later than complete" is judged on when a policy is written.
 */
function nominalMs(limit: WorkOrderLimit): number {
  const { days, ms } = parseDuration(limit.duration);
  return days * (limit.basis === 'calendar' ? DAY_MS : businessDayMs(CN_MAINLAND_CALENDAR)) + ms;
}

/** Why these limits cannot stand together, or null (a duration that does not parse is named on its own). */
export function urgencyLimitsProblem({ arrive, complete }: UrgencyLimits): string | null {
  let arriveMs: number, completeMs: number;
  try {
    [arriveMs, completeMs] = [nominalMs(arrive), nominalMs(complete)];
  } catch (error) {
    if (error instanceof DurationError) return null;
    throw error;
  }
  if (arriveMs <= completeMs) return null;
  return (
    `arrive (${arrive.duration} ${arrive.basis}) is longer than complete (${complete.duration} ${complete.basis}): ` +
    'maintenance cannot be due to finish before it is due to arrive (a working day counts as one business day).'
  );
}

export function workOrderTimes(
  limits: UrgencyLimits,
  raisedAt: Date,
  calendar: WorkingCalendar,
): { arriveBy: Date; completeBy: Date } {
  const after = (limit: WorkOrderLimit) =>
    addTime(raisedAt, durationMs(limit.duration, limit.basis, calendar), limit.basis, calendar);
  const completeBy = after(limits.complete);
  // Limits of different bases, or a region whose business day differs from the shipped one,
  // can still put arrival after completion; being there is never due later than being done.
  const arriveBy = new Date(Math.min(after(limits.arrive).getTime(), completeBy.getTime()));
  return { arriveBy, completeBy };
}
