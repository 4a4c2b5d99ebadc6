import { checkPeriodKey, dayKey, daysOf, periodKey, periodOf, previousPeriodKey } from './periods';

describe('report periods', () => {
  const shanghai = 'Asia/Shanghai';

  it('cuts ISO weeks, months and halves in the group’s zone', () => {
    // Monday 00:30 in Shanghai is still Sunday in UTC.
    const mondayMorning = new Date('2026-11-29T16:30:00Z');
    expect(periodKey('week', mondayMorning, shanghai)).toBe('2026-W49');
    expect(periodKey('week', mondayMorning, 'UTC')).toBe('2026-W48');
    expect(periodKey('month', new Date('2026-11-30T16:30:00Z'), shanghai)).toBe('2026-12');
    expect(periodKey('half', new Date('2026-06-30T16:30:00Z'), shanghai)).toBe('2026-H2');
    // 1 January 2027 is a Friday: it belongs to the last ISO week of 2026.
    expect(periodKey('week', new Date('2027-01-01T04:00:00Z'), shanghai)).toBe('2026-W53');
  });

  it('gives each period its first instant and the first instant after it', () => {
    expect(periodOf('week', '2026-W48', shanghai)).toMatchObject({
      start: new Date('2026-11-22T16:00:00Z'),
      end: new Date('2026-11-29T16:00:00Z'),
    });
    expect(periodOf('month', '2026-12', shanghai)).toMatchObject({
      start: new Date('2026-11-30T16:00:00Z'),
      end: new Date('2026-12-31T16:00:00Z'),
    });
    expect(periodOf('half', '2026-H1', 'UTC')).toMatchObject({
      start: new Date('2026-01-01T00:00:00Z'),
      end: new Date('2026-07-01T00:00:00Z'),
    });
    // Across a daylight-saving change the week is 167 hours long.
    const spring = periodOf('week', '2026-W13', 'Europe/Berlin');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(167);
  });

  it('knows the period before: what Monday’s and the 1st’s scheduled reports cover', () => {
    expect(previousPeriodKey('week', new Date('2026-11-30T01:00:00Z'), shanghai)).toBe('2026-W48');
    expect(previousPeriodKey('month', new Date('2026-12-01T01:00:00Z'), shanghai)).toBe('2026-11');
    expect(previousPeriodKey('week', new Date('2027-01-04T01:00:00Z'), shanghai)).toBe('2026-W53');
  });

  it('refuses keys that name no period', () => {
    expect(checkPeriodKey('week', '2026-W53')).toBeNull();
    expect(checkPeriodKey('week', '2025-W53')).toBe('2025 has ISO weeks 01 to 52, not 2025-W53');
    expect(checkPeriodKey('month', '2026-13')).toMatch(/must look like 2026-11/);
    expect(checkPeriodKey('half', '2026-H3')).toMatch(/must look like 2026-H2/);
  });

  it('files a moment under its local day, and lists the days of a period', () => {
    expect(dayKey(new Date('2026-11-29T16:30:00Z'), shanghai)).toBe('2026-11-30');
    expect(dayKey(new Date('2026-11-29T16:30:00Z'), 'UTC')).toBe('2026-11-29');
    expect(daysOf('week', '2026-W48', shanghai)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    const half = daysOf('half', '2026-H2', shanghai);
    expect([half.length, half[0], half.at(-1)]).toEqual([184, '2026-07-01', '2026-12-31']);
    // A month with a daylight saving change still has its calendar days, each once.
    const march = daysOf('month', '2026-03', 'Europe/Berlin');
    expect([march.length, march[0], march.at(-1), new Set(march).size]).toEqual([31, '2026-03-01', '2026-03-31', 31]);
  });
});
