import { CN_MAINLAND_CALENDAR as CN } from './cn-mainland-calendar';
import {
  addTime,
  businessDayMs,
  calendarProblems,
  durationMs,
  elapsedTime,
  isWorkingDay,
  type WorkingCalendar,
} from './working-calendar';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

// Expected instants are written as local wall time with the zone's offset, worked out by hand.
function expectInstant(actual: Date, expected: string): void {
  expect(actual.toISOString()).toBe(new Date(expected).toISOString());
}

const at = (iso: string): Date => new Date(iso);

const addWorking = (from: string, iso: string, calendar: WorkingCalendar = CN): Date =>
  addTime(at(from), durationMs(iso, 'working', calendar), 'working', calendar);

const NEW_YORK: WorkingCalendar = {
  timeZone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  businessHours: { start: '09:00', end: '17:00' },
  holidays: [],
  makeUpWorkingDays: [],
};

// Business hours that straddle the 02:00 DST switch, so the day itself is shorter or longer.
const NEW_YORK_NIGHTS: WorkingCalendar = {
  ...NEW_YORK,
  workingDays: [1, 2, 3, 4, 5, 6, 7],
  businessHours: { start: '00:30', end: '04:00' },
};

describe('isWorkingDay (mainland China)', () => {
  it.each([
    ['2026-11-23', true], // Monday
    ['2026-11-28', false], // Saturday
    ['2026-10-01', false], // National Day
    ['2026-10-08', true], // Thursday after National Day
    ['2026-10-10', true], // Saturday make-up day
    ['2026-10-11', false], // Sunday
    ['2026-09-20', true], // Sunday make-up day
    ['2026-02-23', false], // Monday inside Spring Festival
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(CN, date)).toBe(expected);
  });
});

describe('durationMs', () => {
  it('counts a business day as the business hours of one day', () => {
    expect(businessDayMs(CN)).toBe(9 * HOUR);
    expect(businessDayMs(NEW_YORK)).toBe(8 * HOUR);
  });

  it.each([
    ['P3D', 'calendar', 72 * HOUR],
    ['P3D', 'working', 27 * HOUR],
    ['PT3H', 'calendar', 3 * HOUR],
    ['PT3H', 'working', 3 * HOUR],
    ['P1DT2H', 'working', 11 * HOUR],
    ['P1W', 'working', 63 * HOUR],
  ] as const)('%s %s is %d ms', (iso, basis, expected) => {
    expect(durationMs(iso, basis, CN)).toBe(expected);
  });
});

describe('addTime, calendar basis', () => {
  it('adds plainly, ignoring hours, weekends and holidays', () => {
    expectInstant(addTime(at('2026-11-27T17:00:00+08:00'), 3 * HOUR, 'calendar', CN), '2026-11-27T20:00:00+08:00');
    expectInstant(
      addTime(at('2026-09-30T10:00:00+08:00'), durationMs('P3D', 'calendar', CN), 'calendar', CN),
      '2026-10-03T10:00:00+08:00',
    );
  });
});

describe('addTime, working basis (mainland China, 09:00–18:00)', () => {
  it.each([
    ['inside hours, PT1H', '2026-11-23T10:15:00+08:00', 'PT1H', '2026-11-23T11:15:00+08:00'],
    ['inside hours, PT3H (no lunch break)', '2026-11-23T10:15:00+08:00', 'PT3H', '2026-11-23T13:15:00+08:00'],
    ['across the evening and weekend', '2026-11-27T17:00:00+08:00', 'PT3H', '2026-11-30T11:00:00+08:00'],
    ['before opening', '2026-11-23T07:30:00+08:00', 'PT1H', '2026-11-23T10:00:00+08:00'],
    ['after closing', '2026-11-23T19:00:00+08:00', 'PT1H', '2026-11-24T10:00:00+08:00'],
    ['on a weekend', '2026-11-28T12:00:00+08:00', 'PT1H', '2026-11-30T10:00:00+08:00'],
    [
      'P3D from mid-morning lands three business days later',
      '2026-11-25T14:00:00+08:00',
      'P3D',
      '2026-11-30T14:00:00+08:00',
    ],
  ])('%s', (_case, from, iso, expected) => {
    expectInstant(addWorking(from, iso), expected);
  });

  it('ends at 18:00 when the amount uses up the day exactly', () => {
    expectInstant(addWorking('2026-11-23T17:00:00+08:00', 'PT1H'), '2026-11-23T18:00:00+08:00');
    expectInstant(addWorking('2026-11-23T09:00:00+08:00', 'PT9H'), '2026-11-23T18:00:00+08:00');
  });

  it('carries one millisecond past 18:00 to 09:00 of the next working day', () => {
    expectInstant(addTime(at('2026-11-23T17:00:00+08:00'), HOUR + 1, 'working', CN), '2026-11-24T09:00:00.001+08:00');
    expectInstant(addTime(at('2026-11-27T18:00:00+08:00'), 1, 'working', CN), '2026-11-30T09:00:00.001+08:00');
  });

  it('starts counting exactly at 09:00', () => {
    expectInstant(addWorking('2026-11-23T18:00:00+08:00', 'PT1M'), '2026-11-24T09:01:00+08:00');
    expectInstant(addTime(at('2026-11-23T08:59:59.999+08:00'), 1, 'working', CN), '2026-11-23T09:00:00.001+08:00');
  });

  it('returns from itself for a zero amount, even outside hours', () => {
    expectInstant(addTime(at('2026-11-28T12:00:00+08:00'), 0, 'working', CN), '2026-11-28T12:00:00+08:00');
    expectInstant(addTime(at('2026-11-28T12:00:00+08:00'), 0, 'calendar', CN), '2026-11-28T12:00:00+08:00');
  });

  it('refuses a negative or non-finite amount and an invalid start', () => {
    expect(() => addTime(at('2026-11-23T10:00:00+08:00'), -1, 'working', CN)).toThrow(RangeError);
    expect(() => addTime(at('2026-11-23T10:00:00+08:00'), Number.NaN, 'calendar', CN)).toThrow(RangeError);
    expect(() => addTime(at('not a date'), HOUR, 'working', CN)).toThrow(RangeError);
  });

  describe('2026 National Day (Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked)', () => {
    it('P3D from Sep 30 10:00 skips the holiday and ends on the make-up Saturday', () => {
      // Sep 30: 8 h, Oct 1–7 off, Oct 8: 9 h, Oct 9: 9 h, Oct 10 (Sat, worked): 1 h.
      expectInstant(addWorking('2026-09-30T10:00:00+08:00', 'P3D'), '2026-10-10T10:00:00+08:00');
    });

    it('P1D from Sep 30 10:00 resumes on Oct 8', () => {
      expectInstant(addWorking('2026-09-30T10:00:00+08:00', 'P1D'), '2026-10-08T10:00:00+08:00');
    });

    it('the make-up Sunday Sep 20 counts', () => {
      // Fri Sep 18: 3 h, Sat 19 off, Sun 20 (worked): 6 h.
      expectInstant(addWorking('2026-09-18T15:00:00+08:00', 'P1D'), '2026-09-20T15:00:00+08:00');
      // … then Sun 20: 9 h, Mon 21: 9 h, Tue 22: 6 h.
      expectInstant(addWorking('2026-09-18T15:00:00+08:00', 'P3D'), '2026-09-22T15:00:00+08:00');
    });

    it('Mid-Autumn (Fri Sep 25) is skipped', () => {
      // Thu Sep 24: 6 h, Sep 25–27 off, Mon 28: 9 h, Tue 29: 3 h.
      expectInstant(addWorking('2026-09-24T12:00:00+08:00', 'P2D'), '2026-09-29T12:00:00+08:00');
    });
  });

  describe('2026 Spring Festival (Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked)', () => {
    it('the make-up Saturday Feb 14 counts', () => {
      // Fri Feb 13: 2 h, Sat Feb 14 (worked): 7 h.
      expectInstant(addWorking('2026-02-13T16:00:00+08:00', 'P1D'), '2026-02-14T16:00:00+08:00');
    });

    it('P3D across the holiday', () => {
      // Fri 13: 2 h, Sat 14: 9 h, Feb 15–23 off, Tue 24: 9 h, Wed 25: 7 h.
      expectInstant(addWorking('2026-02-13T16:00:00+08:00', 'P3D'), '2026-02-25T16:00:00+08:00');
    });

    it('the make-up Saturday Feb 28 counts', () => {
      expectInstant(addWorking('2026-02-26T09:00:00+08:00', 'P2D'), '2026-02-27T18:00:00+08:00');
      expectInstant(addWorking('2026-02-26T09:00:00+08:00', 'P2DT1H'), '2026-02-28T10:00:00+08:00');
    });
  });

  describe('2025', () => {
    it('National Day and Mid-Autumn (Oct 1–8 off) then the make-up Saturday Oct 11', () => {
      expectInstant(addWorking('2025-09-30T18:00:00+08:00', 'P1D'), '2025-10-09T18:00:00+08:00');
      expectInstant(addWorking('2025-10-10T09:00:00+08:00', 'P2D'), '2025-10-11T18:00:00+08:00');
    });
  });
});

describe('addTime, working basis, America/New_York across DST', () => {
  it('keeps local business hours when the offset changes in spring', () => {
    // Fri 16:00 EST, 1 h left that day; Mon Mar 9 is on EDT.
    expectInstant(addWorking('2026-03-06T16:00:00-05:00', 'PT2H', NEW_YORK), '2026-03-09T10:00:00-04:00');
    // Fri: 5 h, Mon: 8 h, Tue: 3 h; same local time of day despite the shift.
    expectInstant(addWorking('2026-03-06T12:00:00-05:00', 'P2D', NEW_YORK), '2026-03-10T12:00:00-04:00');
  });

  it('keeps local business hours when the offset changes in autumn', () => {
    expectInstant(addWorking('2026-10-30T16:00:00-04:00', 'PT2H', NEW_YORK), '2026-11-02T10:00:00-05:00');
  });

  it('calendar basis stays plain 24-hour arithmetic across the change', () => {
    expectInstant(
      addTime(at('2026-03-07T12:00:00-05:00'), durationMs('P1D', 'calendar', NEW_YORK), 'calendar', NEW_YORK),
      '2026-03-08T13:00:00-04:00',
    );
  });

  it('counts the real length of a business day that contains the spring switch', () => {
    // Mar 8: 00:30 EST to 04:00 EDT is 2.5 real hours, not 3.5.
    expectInstant(addWorking('2026-03-08T00:30:00-05:00', 'PT2H30M', NEW_YORK_NIGHTS), '2026-03-08T04:00:00-04:00');
    expectInstant(addWorking('2026-03-08T00:30:00-05:00', 'PT3H', NEW_YORK_NIGHTS), '2026-03-09T01:00:00-04:00');
    expect(
      elapsedTime(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'), 'working', NEW_YORK_NIGHTS),
    ).toBe(2.5 * HOUR);
  });

  it('counts the real length of a business day that contains the autumn switch', () => {
    // Nov 1: 00:30 EDT to 04:00 EST is 4.5 real hours.
    expectInstant(addWorking('2026-11-01T00:30:00-04:00', 'PT4H', NEW_YORK_NIGHTS), '2026-11-01T03:30:00-05:00');
    expect(
      elapsedTime(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'), 'working', NEW_YORK_NIGHTS),
    ).toBe(4.5 * HOUR);
  });
});

describe('addTime guard', () => {
  it('throws instead of looping when a calendar has no business hours', () => {
    const never: WorkingCalendar = { ...NEW_YORK, workingDays: [] };
    expect(() => addTime(at('2026-01-05T10:00:00-05:00'), HOUR, 'working', never)).toThrow(
      /no business hours within 3660 days/,
    );
    const backwards: WorkingCalendar = { ...NEW_YORK, businessHours: { start: '17:00', end: '09:00' } };
    expect(() => addTime(at('2026-01-05T10:00:00-05:00'), HOUR, 'working', backwards)).toThrow(/no business hours/);
  });

  it('goes on past long holidays as long as working days keep coming', () => {
    const from = at('2026-01-05T09:00:00+08:00');
    const year = 250 * businessDayMs(CN);
    expect(elapsedTime(from, addTime(from, year, 'working', CN), 'working', CN)).toBe(year);
  });
});

describe('elapsedTime', () => {
  it('is 0 when to is not after from', () => {
    const t = at('2026-11-23T10:00:00+08:00');
    expect(elapsedTime(t, t, 'working', CN)).toBe(0);
    expect(elapsedTime(t, at('2026-11-23T09:00:00+08:00'), 'working', CN)).toBe(0);
    expect(elapsedTime(t, at('2026-11-23T09:00:00+08:00'), 'calendar', CN)).toBe(0);
  });

  it.each([
    ['calendar', '2026-11-27T17:00:00+08:00', '2026-11-30T10:00:00+08:00', 65 * HOUR],
    ['working', '2026-11-27T17:00:00+08:00', '2026-11-30T10:00:00+08:00', 2 * HOUR],
    ['working', '2026-11-28T08:00:00+08:00', '2026-11-29T20:00:00+08:00', 0],
    ['working', '2026-11-23T07:00:00+08:00', '2026-11-23T20:00:00+08:00', 9 * HOUR],
    ['working', '2026-09-30T10:00:00+08:00', '2026-10-10T10:00:00+08:00', 27 * HOUR],
    ['working', '2026-02-13T16:00:00+08:00', '2026-02-25T16:00:00+08:00', 27 * HOUR],
  ] as const)('%s time from %s to %s is %d ms', (basis, from, to, expected) => {
    expect(elapsedTime(at(from), at(to), basis, CN)).toBe(expected);
  });

  // Property-style: many starts, in and out of hours, across 调休 and holidays.
  const amounts = [1, 500, MINUTE, HOUR, 9 * HOUR - 1, 9 * HOUR, 9 * HOUR + 1, 27 * HOUR, 5 * 9 * HOUR + 7 * MINUTE];
  const starts = (first: string, count: number, stepMs: number): Date[] =>
    Array.from({ length: count }, (_, i) => new Date(at(first).getTime() + i * stepMs));

  it.each([
    ['mainland China around Spring Festival 2026', CN, starts('2026-02-05T00:00:00+08:00', 250, 113 * MINUTE)],
    ['mainland China around National Day 2026', CN, starts('2026-09-15T00:00:00+08:00', 250, 113 * MINUTE)],
    [
      'New York nights across the spring switch',
      NEW_YORK_NIGHTS,
      starts('2026-03-05T00:00:00-05:00', 150, 29 * MINUTE),
    ],
    ['New York across the autumn switch', NEW_YORK, starts('2026-10-28T00:00:00-04:00', 150, 71 * MINUTE)],
  ])('undoes addTime: %s', (_case, calendar, froms) => {
    for (const from of froms) {
      let previous = from.getTime();
      for (const amount of amounts) {
        const due = addTime(from, amount, 'working', calendar);
        expect(elapsedTime(from, due, 'working', calendar)).toBe(amount);
        // A due instant always closes a stretch of business time.
        expect(elapsedTime(new Date(due.getTime() - 1), due, 'working', calendar)).toBe(1);
        expect(due.getTime()).toBeGreaterThan(previous);
        previous = due.getTime();
      }
    }
  });
});

describe('calendarProblems', () => {
  const valid: WorkingCalendar = {
    timeZone: 'Asia/Shanghai',
    workingDays: [1, 2, 3, 4, 5],
    businessHours: { start: '09:00', end: '18:00' },
    holidays: ['2026-10-01'],
    makeUpWorkingDays: ['2026-10-10'],
  };

  it('finds none in a valid calendar', () => {
    expect(calendarProblems(valid)).toEqual([]);
    expect(calendarProblems(NEW_YORK)).toEqual([]);
  });

  it.each<[string, Partial<WorkingCalendar>, RegExp]>([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /^timeZone "Mars\/Olympus" is not a known IANA time zone/],
    ['an empty time zone', { timeZone: '' }, /^timeZone "" is not a known/],
    [
      'an hour without a leading zero',
      { businessHours: { start: '9:00', end: '18:00' } },
      /^businessHours\.start "9:00"/,
    ],
    ['24:00', { businessHours: { start: '09:00', end: '24:00' } }, /^businessHours\.end "24:00"/],
    ['minute 60', { businessHours: { start: '09:00', end: '17:60' } }, /^businessHours\.end "17:60"/],
    [
      'start after end',
      { businessHours: { start: '18:00', end: '09:00' } },
      /businessHours\.start "18:00" must be before/,
    ],
    ['start equal to end', { businessHours: { start: '09:00', end: '09:00' } }, /must be before businessHours\.end/],
    ['weekday 0', { workingDays: [0, 1, 2] }, /^workingDays 0 outside 1/],
    ['weekday 8 and 1.5', { workingDays: [1, 8, 1.5] }, /^workingDays 8, 1\.5 outside 1/],
    ['no working weekday', { workingDays: [] }, /no working day at all/],
    ['a non-existent date', { holidays: ['2026-02-30'] }, /^holidays has dates .*: 2026-02-30/],
    ['an unpadded date', { holidays: ['2026-1-5'] }, /^holidays has dates .*: 2026-1-5/],
    ['a word as make-up day', { makeUpWorkingDays: ['tomorrow'] }, /^makeUpWorkingDays has dates .*: tomorrow/],
    [
      'a date both off and worked',
      { makeUpWorkingDays: ['2026-10-01'] },
      /^2026-10-01 listed both in holidays and in makeUpWorkingDays/,
    ],
  ])('names %s', (_case, change, expected) => {
    const problems = calendarProblems({ ...valid, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(expected);
    // The field it names is where a form shows it.
    expect(
      problems[0]?.message.startsWith(problems[0]?.path ?? '?') ||
        /listed both|must be before/.test(problems[0]?.message ?? ''),
    ).toBe(true);
  });

  it('lists every problem at once', () => {
    const problems = calendarProblems({
      timeZone: 'Nowhere',
      workingDays: [9],
      businessHours: { start: 'nine', end: '18:00' },
      holidays: ['2026-13-01'],
      makeUpWorkingDays: [],
    });
    expect(problems.map((problem) => problem.path)).toEqual([
      'timeZone',
      'businessHours.start',
      'workingDays',
      'workingDays',
      'holidays',
    ]);
  });
});
