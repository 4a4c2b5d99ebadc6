import type { Urgency } from '@complaints/domain';
import { addTime, durationMs, type WorkingCalendar } from '../deadlines/working-calendar';
import type { TimeBasis } from '../deadlines/durations';

// Pure: runs in the gRPC handler and is tested on its own.

interface Limit {
  duration: string;
  basis: TimeBasis;
}

/**
 * How soon maintenance must be there and be done, by urgency (报修 响应时限). An emergency (a burst
 * pipe, a stopped lift) runs on the clock, day and night; the others count working time on the
 * region's calendar, as complaint deadlines do.
 */
export const WORK_ORDER_LIMITS: Record<Urgency, { arrive: Limit; complete: Limit }> = {
  emergency: { arrive: { duration: 'PT30M', basis: 'calendar' }, complete: { duration: 'PT4H', basis: 'calendar' } },
  urgent: { arrive: { duration: 'PT2H', basis: 'working' }, complete: { duration: 'P1D', basis: 'working' } },
  normal: { arrive: { duration: 'P1D', basis: 'working' }, complete: { duration: 'P3D', basis: 'working' } },
};

export function workOrderTimes(
  urgency: Urgency,
  raisedAt: Date,
  calendar: WorkingCalendar,
): { arriveBy: Date; completeBy: Date } {
  const { arrive, complete } = WORK_ORDER_LIMITS[urgency];
  const after = (limit: Limit) =>
    addTime(raisedAt, durationMs(limit.duration, limit.basis, calendar), limit.basis, calendar);
  return { arriveBy: after(arrive), completeBy: after(complete) };
}
