import { addMonths, addWeeks, format, getISOWeek, getISOWeekYear, setISOWeek, startOfISOWeek } from 'date-fns';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { PERIOD_KINDS, type PeriodKind } from '@complaints/domain';

// Report periods in the group's time zone: ISO weeks (2026-W48), months (2026-11) and
// half-years (2026-H2). A complaint belongs to the period in which it was received.

export { PERIOD_KINDS, type PeriodKind };

export interface Period {
  kind: PeriodKind;
  key: string;
  /** The first instant of the period and the first instant after it. */
  start: Date;
  end: Date;
}

const KEY_PATTERN: Record<PeriodKind, RegExp> = {
  week: /^(\d{4})-W(\d{2})$/,
  month: /^(\d{4})-(\d{2})$/,
  half: /^(\d{4})-H([12])$/,
};

export const KEY_EXAMPLES: Record<PeriodKind, string> = { week: '2026-W48', month: '2026-11', half: '2026-H2' };

/** The key of the period holding `at`, read in `timeZone`. */
export function periodKey(kind: PeriodKind, at: Date, timeZone: string): string {
  // Wall-clock date in the zone, as a zone-less date: the ISO-week functions then read that day.
  const local = new Date(`${formatInTimeZone(at, timeZone, 'yyyy-MM-dd')}T12:00:00`);
  switch (kind) {
    case 'week':
      return `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, '0')}`;
    case 'month':
      return format(local, 'yyyy-MM');
    case 'half':
      return `${local.getFullYear()}-H${local.getMonth() < 6 ? 1 : 2}`;
  }
}

/** Whether a key names a real period of that kind; the message says what is expected. */
export function checkPeriodKey(kind: PeriodKind, key: string): string | null {
  const match = KEY_PATTERN[kind].exec(key);
  const wrong = `${kind} must look like ${KEY_EXAMPLES[kind]}, not "${key}"`;
  if (!match) return wrong;
  const year = Number(match[1]);
  const part = Number(match[2]);
  if (year < 2000 || year > 2999) return wrong;
  if (kind === 'month' && (part < 1 || part > 12)) return wrong;
  if (kind === 'week') {
    // The last ISO week is 52 or 53: 28 December always lies in it.
    const weeks = getISOWeek(new Date(year, 11, 28));
    if (part < 1 || part > weeks) return `${year} has ISO weeks 01 to ${weeks}, not ${key}`;
  }
  return null;
}

function firstDay(kind: PeriodKind, key: string): Date {
  const match = KEY_PATTERN[kind].exec(key);
  if (!match || checkPeriodKey(kind, key)) throw new RangeError(checkPeriodKey(kind, key) ?? key);
  const year = Number(match[1]);
  const part = Number(match[2]);
  switch (kind) {
    case 'week':
      return startOfISOWeek(setISOWeek(new Date(year, 0, 4, 12), part));
    case 'month':
      return new Date(year, part - 1, 1, 12);
    case 'half':
      return new Date(year, part === 1 ? 0 : 6, 1, 12);
  }
}

function next(kind: PeriodKind, day: Date): Date {
  return kind === 'week' ? addWeeks(day, 1) : addMonths(day, kind === 'month' ? 1 : 6);
}

function midnight(day: Date, timeZone: string): Date {
  return fromZonedTime(`${format(day, 'yyyy-MM-dd')}T00:00:00`, timeZone);
}

export function periodOf(kind: PeriodKind, key: string, timeZone: string): Period {
  const day = firstDay(kind, key);
  return { kind, key, start: midnight(day, timeZone), end: midnight(next(kind, day), timeZone) };
}

/** The last whole period before the one holding `at`: what a scheduled report covers. */
export function previousPeriodKey(kind: PeriodKind, at: Date, timeZone: string): string {
  const current = periodOf(kind, periodKey(kind, at, timeZone), timeZone);
  return periodKey(kind, new Date(current.start.getTime() - 1), timeZone);
}

/** The periods of every kind that a complaint received at `at` counts in. */
export function periodsHolding(at: Date, timeZone: string): { kind: PeriodKind; key: string }[] {
  return PERIOD_KINDS.map((kind) => ({ kind, key: periodKey(kind, at, timeZone) }));
}

/** The local day (YYYY-MM-DD) holding `at`, read in `timeZone`: what rollup rows are filed by. */
export function dayKey(at: Date, timeZone: string): string {
  return formatInTimeZone(at, timeZone, 'yyyy-MM-dd');
}

/** The local days a period spans, first to last. */
export function daysOf(kind: PeriodKind, key: string, timeZone: string): string[] {
  const { start, end } = periodOf(kind, key, timeZone);
  const last = dayKey(new Date(end.getTime() - 1), timeZone);
  const days: string[] = [];
  // Calendar arithmetic on the date alone (UTC midnight), whatever the zone's offsets do.
  for (let day = dayKey(start, timeZone); day <= last;) {
    days.push(day);
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return days;
}
