import { isWorked, monthWeeks, toggleDay } from './calendar-days';

describe('the calendar month grid', () => {
  it('lays a month out in weeks from Monday', () => {
    const february2027 = monthWeeks(2027, 2);
    // 2027-02-01 is a Monday; 28 days make exactly four weeks.
    expect(february2027).toHaveLength(4);
    expect(february2027[0]?.[0]).toBe('2027-02-01');
    const january2027 = monthWeeks(2027, 1);
    // 2027-01-01 is a Friday.
    expect(january2027[0]).toEqual([null, null, null, null, '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(january2027.flat().filter(Boolean)).toHaveLength(31);
  });

  it('takes a working day off, makes a weekend a make-up day, and back', () => {
    const calendar = { workingDays: [1, 2, 3, 4, 5], holidays: [], makeUpWorkingDays: [] };
    const off = toggleDay(calendar, '2027-02-08');
    expect(off.holidays).toEqual(['2027-02-08']);
    expect(isWorked(off, '2027-02-08')).toBe(false);
    const worked = toggleDay(off, '2027-02-20');
    expect(worked.makeUpWorkingDays).toEqual(['2027-02-20']);
    expect(isWorked(worked, '2027-02-20')).toBe(true);
    expect(toggleDay(toggleDay(worked, '2027-02-08'), '2027-02-20')).toEqual(calendar);
  });
});
