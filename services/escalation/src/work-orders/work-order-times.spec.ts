import { CN_MAINLAND_CALENDAR } from '../deadlines/cn-mainland-calendar';
import { urgencyLimitsProblem, WORK_ORDER_LIMITS, workOrderTimes } from './work-order-times';

describe('work order times', () => {
  // Friday 4 December 2026, 17:00 in Shanghai (09:00 UTC).
  const fridayFive = new Date('2026-12-04T09:00:00Z');

  it('runs an emergency on the clock, through the weekend', () => {
    const times = workOrderTimes(WORK_ORDER_LIMITS.emergency, fridayFive, CN_MAINLAND_CALENDAR);
    expect(times.arriveBy.toISOString()).toBe('2026-12-04T09:30:00.000Z');
    expect(times.completeBy.toISOString()).toBe('2026-12-04T13:00:00.000Z');
  });

  it('counts working time for the others: an urgent one raised late on Friday is due on Monday', () => {
    const urgent = workOrderTimes(WORK_ORDER_LIMITS.urgent, fridayFive, CN_MAINLAND_CALENDAR);
    const { businessHours } = CN_MAINLAND_CALENDAR;
    // What is left of Friday counts, the rest falls on Monday 7 December.
    const fridayLeftMs = Date.parse(`2026-12-04T${businessHours.end}:00+08:00`) - fridayFive.getTime();
    const mondayOpen = Date.parse(`2026-12-07T${businessHours.start}:00+08:00`);
    expect(urgent.arriveBy.getTime()).toBe(mondayOpen + 2 * 3_600_000 - fridayLeftMs);
    const normal = workOrderTimes(WORK_ORDER_LIMITS.normal, fridayFive, CN_MAINLAND_CALENDAR);
    expect(normal.arriveBy.getTime()).toBeGreaterThan(urgent.arriveBy.getTime());
    expect(normal.completeBy.getTime()).toBeGreaterThan(urgent.completeBy.getTime());
  });

  it('follows the limits it is given: a group that wants a fitter within 15 minutes, done within 2 hours', () => {
    const times = workOrderTimes(
      { arrive: { duration: 'PT15M', basis: 'calendar' }, complete: { duration: 'PT2H', basis: 'working' } },
      fridayFive,
      CN_MAINLAND_CALENDAR,
    );
    expect(times.arriveBy.toISOString()).toBe('2026-12-04T09:15:00.000Z');
    // One working hour is left on Friday (until 18:00), the other is Monday's first.
    expect(times.completeBy.toISOString()).toBe('2026-12-07T02:00:00.000Z');
  });

  it('never makes arrival due after completion, whatever the bases', () => {
    // 3 working hours from Friday 17:00 end on Monday; 4 calendar hours end on Friday evening.
    const times = workOrderTimes(
      { arrive: { duration: 'PT3H', basis: 'working' }, complete: { duration: 'PT4H', basis: 'calendar' } },
      fridayFive,
      CN_MAINLAND_CALENDAR,
    );
    expect(times.completeBy.toISOString()).toBe('2026-12-04T13:00:00.000Z');
    expect(times.arriveBy).toEqual(times.completeBy);
  });

  it('refuses arrive limits longer than complete ones, a working day counting as a business day', () => {
    expect(urgencyLimitsProblem(WORK_ORDER_LIMITS.urgent)).toBeNull();
    const equal = { duration: 'PT4H', basis: 'calendar' } as const;
    expect(urgencyLimitsProblem({ arrive: equal, complete: equal })).toBeNull();
    expect(
      urgencyLimitsProblem({
        arrive: { duration: 'PT5H', basis: 'calendar' },
        complete: { duration: 'PT4H', basis: 'calendar' },
      }),
    ).toMatch(/^arrive \(PT5H calendar\) is longer than complete \(PT4H calendar\)/);
    // A working day is the 9-hour business day: 10 working hours exceed it, 9 do not.
    const workingDay = { duration: 'P1D', basis: 'working' } as const;
    expect(
      urgencyLimitsProblem({ arrive: { duration: 'PT10H', basis: 'working' }, complete: workingDay }),
    ).not.toBeNull();
    expect(urgencyLimitsProblem({ arrive: { duration: 'PT9H', basis: 'working' }, complete: workingDay })).toBeNull();
    // A calendar day is 24 hours: longer than a working day.
    expect(
      urgencyLimitsProblem({ arrive: { duration: 'P1D', basis: 'calendar' }, complete: workingDay }),
    ).not.toBeNull();
  });
});
