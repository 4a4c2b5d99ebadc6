/** The parts of a working calendar a month grid edits. */
export interface CalendarDays {
  workingDays: number[];
  holidays: string[];
  makeUpWorkingDays: string[];
}

/** How a date counts: as its weekday says, or marked off (休) or worked (班, 调休). */
export type DayMark = 'usual' | 'holiday' | 'makeUp';

/** The weeks of a month, Monday first, each 7 dates 'YYYY-MM-DD' or null outside the month. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() || 7) - 1;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let day = 1; day <= days; day++) {
    cells.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  }
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

export function dayMark(calendar: CalendarDays, date: string): DayMark {
  if (calendar.makeUpWorkingDays.includes(date)) return 'makeUp';
  return calendar.holidays.includes(date) ? 'holiday' : 'usual';
}

/** Whether the date is worked, as escalation counts working time. */
export function isWorked(calendar: CalendarDays, date: string): boolean {
  const mark = dayMark(calendar, date);
  return mark === 'makeUp' || (mark === 'usual' && calendar.workingDays.includes(isoWeekday(date)));
}

/**
 * A click on a day: a usually worked day is taken off and back; a usual day off (a weekend) is
 * made a make-up working day and back. A date is never in both lists.
 */
export function toggleDay<T extends CalendarDays>(calendar: T, date: string): T {
  const mark = dayMark(calendar, date);
  const holidays = calendar.holidays.filter((day) => day !== date);
  const makeUpWorkingDays = calendar.makeUpWorkingDays.filter((day) => day !== date);
  if (mark === 'usual') {
    if (calendar.workingDays.includes(isoWeekday(date))) holidays.push(date);
    else makeUpWorkingDays.push(date);
  }
  return { ...calendar, holidays: holidays.sort(), makeUpWorkingDays: makeUpWorkingDays.sort() };
}
