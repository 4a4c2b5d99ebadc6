import { CN_MAINLAND_CALENDAR } from '../deadlines/cn-mainland-calendar';
import { workOrderTimes } from './work-order-times';

describe('work order times', () => {
  // Friday 4 December 2026, 17:00 in Shanghai (09:00 UTC).
  const fridayFive = new Date('2026-12-04T09:00:00Z');

  it('runs an emergency on the clock, through the weekend', () => {
    const times = workOrderTimes('emergency', fridayFive, CN_MAINLAND_CALENDAR);
    expect(times.arriveBy.toISOString()).toBe('2026-12-04T09:30:00.000Z');
    expect(times.completeBy.toISOString()).toBe('2026-12-04T13:00:00.000Z');
  });

  it('counts working time for the others: an urgent one raised late on Friday is due on Monday', () => {
    const urgent = workOrderTimes('urgent', fridayFive, CN_MAINLAND_CALENDAR);
    const { businessHours } = CN_MAINLAND_CALENDAR;
    // What is left of Friday counts, the rest falls on Monday 7 December.
    const fridayLeftMs = Date.parse(`2026-12-04T${businessHours.end}:00+08:00`) - fridayFive.getTime();
    const mondayOpen = Date.parse(`2026-12-07T${businessHours.start}:00+08:00`);
    expect(urgent.arriveBy.getTime()).toBe(mondayOpen + 2 * 3_600_000 - fridayLeftMs);
    const normal = workOrderTimes('normal', fridayFive, CN_MAINLAND_CALENDAR);
    expect(normal.arriveBy.getTime()).toBeGreaterThan(urgent.arriveBy.getTime());
    expect(normal.completeBy.getTime()).toBeGreaterThan(urgent.completeBy.getTime());
  });
});
