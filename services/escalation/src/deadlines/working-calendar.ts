import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

import { parseDuration, type TimeBasis } from './durations';

// Pure and deterministic: runs inside the Temporal workflow sandbox, so callers pass every
// instant and nothing here reads the clock.

export interface WorkingCalendar {
  /** IANA zone, e.g. Asia/Shanghai: business hours and dates are local to it. */
  timeZone: string;
  /** ISO weekdays that are normally worked: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Local 'HH:mm' (24h) start and end of the business day, start < end. */
  businessHours: { start: string; end: string };
  /** Local dates 'YYYY-MM-DD' off work (public holidays, including the weekdays moved by 调休). */
  holidays: string[];
  /** Local dates 'YYYY-MM-DD' that are worked although they fall on a non-working weekday (调休 make-up days). */
  makeUpWorkingDays: string[];
}

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
// A calendar that yields no business time for ten years is broken, not just sparse.
const MAX_DAYS_WITHOUT_WORK = 3660;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isWorkingDay(calendar: WorkingCalendar, localDate: string): boolean {
  if (calendar.makeUpWorkingDays.includes(localDate)) return true;
  if (calendar.holidays.includes(localDate)) return false;
  return calendar.workingDays.includes(isoWeekday(localDate));
}

/** Length of one business day in ms (end - start). */
export function businessDayMs(calendar: WorkingCalendar): number {
  return (minutesOfDay(calendar.businessHours.end) - minutesOfDay(calendar.businessHours.start)) * MINUTE_MS;
}

/** A duration in ms of the given basis: calendar → days*24h + ms; working → days*businessDayMs + ms (so P3D working = three full business days, PT3H working = three business hours). */
export function durationMs(iso: string, basis: TimeBasis, calendar: WorkingCalendar): number {
  const { days, ms } = parseDuration(iso);
  return days * (basis === 'calendar' ? DAY_MS : businessDayMs(calendar)) + ms;
}

/** The instant `amountMs` of basis-time after `from`. calendar: plain addition. working: only time inside business hours of working days counts (a start outside hours begins counting at the next business-hours opening). amountMs 0 → from (for working basis: still from). */
export function addTime(from: Date, amountMs: number, basis: TimeBasis, calendar: WorkingCalendar): Date {
  const start = from.getTime();
  if (Number.isNaN(start)) throw new RangeError('addTime: from is an invalid Date.');
  if (!Number.isFinite(amountMs) || amountMs < 0) {
    throw new RangeError(`addTime: amountMs must be a finite number >= 0, got ${amountMs}.`);
  }
  // Dates hold whole milliseconds; rounding here keeps elapsedTime an exact inverse.
  let remaining = Math.round(amountMs);
  if (remaining === 0) return new Date(start);
  if (basis === 'calendar') return new Date(start + remaining);

  let day = localDateOf(start, calendar.timeZone);
  let daysWithoutWork = 0;
  for (;;) {
    const hours = businessHoursOn(calendar, day);
    if (hours && Math.max(start, hours.open) < hours.close) {
      const begin = Math.max(start, hours.open);
      const available = hours.close - begin;
      // A deadline that uses up the day exactly falls at closing time, not next morning.
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
      daysWithoutWork = 0;
    } else if (++daysWithoutWork > MAX_DAYS_WITHOUT_WORK) {
      throw new Error(
        `addTime: no business hours within ${MAX_DAYS_WITHOUT_WORK} days up to ${day} in the ${calendar.timeZone} calendar; check its workingDays, holidays and businessHours.`,
      );
    }
    day = nextLocalDate(day);
  }
}

/** How much basis-time lies between from and to (0 if to <= from). Inverse of addTime: elapsedTime(a, addTime(a, x)) === x for x > 0. */
export function elapsedTime(from: Date, to: Date, basis: TimeBasis, calendar: WorkingCalendar): number {
  const start = from.getTime();
  const end = to.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError('elapsedTime: from or to is an invalid Date.');
  if (end <= start) return 0;
  if (basis === 'calendar') return end - start;

  const lastDay = localDateOf(end, calendar.timeZone);
  let total = 0;
  // 'YYYY-MM-DD' strings sort like the dates they name.
  for (let day = localDateOf(start, calendar.timeZone); day <= lastDay; day = nextLocalDate(day)) {
    const hours = businessHoursOn(calendar, day);
    if (!hours) continue;
    const overlap = Math.min(end, hours.close) - Math.max(start, hours.open);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** One problem with a calendar: the field it is about (`businessHours.start`, `holidays` …) and a readable sentence. */
export interface CalendarProblem {
  path: string;
  message: string;
}

/** Problems with a calendar, each naming its field (empty when valid): unknown time zone, bad HH:mm, start >= end, weekday outside 1..7, malformed dates, a date both holiday and make-up day, no working day at all. */
export function calendarProblems(calendar: WorkingCalendar): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  if (!isKnownTimeZone(calendar.timeZone)) {
    problems.push({
      path: 'timeZone',
      message: `timeZone "${calendar.timeZone}" is not a known IANA time zone (such as Asia/Shanghai).`,
    });
  }

  const { start, end } = calendar.businessHours;
  for (const [field, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!LOCAL_TIME.test(value)) {
      problems.push({
        path: `businessHours.${field}`,
        message: `businessHours.${field} "${value}" is not a 24-hour 'HH:mm' time.`,
      });
    }
  }
  if (LOCAL_TIME.test(start) && LOCAL_TIME.test(end) && start >= end) {
    problems.push({
      path: 'businessHours.end',
      message: `businessHours.start "${start}" must be before businessHours.end "${end}".`,
    });
  }

  const badWeekdays = calendar.workingDays.filter((d) => !Number.isInteger(d) || d < 1 || d > 7);
  if (badWeekdays.length > 0) {
    problems.push({
      path: 'workingDays',
      message: `workingDays ${badWeekdays.join(', ')} outside 1 (Monday) … 7 (Sunday).`,
    });
  }
  if (calendar.workingDays.length === badWeekdays.length) {
    problems.push({
      path: 'workingDays',
      message: 'workingDays names no weekday, so the calendar has no working day at all.',
    });
  }

  for (const field of ['holidays', 'makeUpWorkingDays'] as const) {
    const malformed = calendar[field].filter((date) => !isLocalDate(date));
    if (malformed.length > 0) {
      problems.push({
        path: field,
        message: `${field} has dates that are not real 'YYYY-MM-DD' dates: ${malformed.join(', ')}.`,
      });
    }
  }
  const both = calendar.holidays.filter((date) => calendar.makeUpWorkingDays.includes(date));
  if (both.length > 0) {
    problems.push({
      path: 'makeUpWorkingDays',
      message: `${both.join(', ')} listed both in holidays and in makeUpWorkingDays.`,
    });
  }
  return problems;
}

function businessHoursOn(calendar: WorkingCalendar, localDate: string): { open: number; close: number } | undefined {
  if (!isWorkingDay(calendar, localDate)) return undefined;
  const { start, end } = calendar.businessHours;
  return {
    open: fromZonedTime(`${localDate}T${start}:00`, calendar.timeZone).getTime(),
    close: fromZonedTime(`${localDate}T${end}:00`, calendar.timeZone).getTime(),
  };
}

function localDateOf(instant: number, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, 'yyyy-MM-dd');
}

// Plain date arithmetic on a UTC midnight: a local date has no zone, so no offsets apply.
function nextLocalDate(localDate: string): string {
  return new Date(utcMidnight(localDate) + DAY_MS).toISOString().slice(0, 10);
}

function isoWeekday(localDate: string): number {
  return new Date(utcMidnight(localDate)).getUTCDay() || 7;
}

function utcMidnight(localDate: string): number {
  const [year, month, day] = localDate.split('-').map(Number);
  return Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN);
}

function isLocalDate(value: string): boolean {
  const midnight = utcMidnight(value);
  // Date.UTC rolls 02-30 over into March; a real date survives the round trip unchanged.
  return LOCAL_DATE.test(value) && !Number.isNaN(midnight) && new Date(midnight).toISOString().startsWith(value);
}

function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? NaN) * 60 + (minutes ?? NaN);
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
