import { dateIn, isoWeekKey, lastPeriods, monthKey } from './periods';

describe('report periods', () => {
  it('names ISO weeks across a year end and months', () => {
    expect(isoWeekKey(new Date(2026, 10, 30))).toBe('2026-W49');
    expect(isoWeekKey(new Date(2027, 0, 1))).toBe('2026-W53');
    expect(isoWeekKey(new Date(2026, 0, 1))).toBe('2026-W01');
    expect(monthKey(new Date(2026, 10, 30))).toBe('2026-11');
  });

  it('lists the last periods oldest first', () => {
    expect(lastPeriods('month', new Date(2026, 1, 15), 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(lastPeriods('week', new Date(2026, 10, 30), 2)).toEqual(['2026-W48', '2026-W49']);
  });

  it('takes the day from the reports’ time zone, not the browser’s', () => {
    // Sunday 16:30 UTC is already Monday in Shanghai: a new ISO week there.
    const instant = new Date('2026-12-06T16:30:00Z');
    expect(isoWeekKey(dateIn('Asia/Shanghai', instant))).toBe('2026-W50');
    expect(isoWeekKey(dateIn('UTC', instant))).toBe('2026-W49');
    expect(monthKey(dateIn('Asia/Shanghai', new Date('2026-11-30T16:00:00Z')))).toBe('2026-12');
  });
});
