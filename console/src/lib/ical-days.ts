import ICAL from 'ical.js';

/** What an iCalendar file says about days off and 调休 make-up working days. */
export interface ImportedDays {
  /** Local dates 'YYYY-MM-DD' off work, sorted. */
  holidays: string[];
  /** Local dates worked although they fall on a weekend (调休), sorted. */
  makeUpWorkingDays: string[];
  /** The years the file names days in, sorted. */
  years: number[];
}

// Published Chinese holiday calendars mark a make-up working day as 补班 / 上班 / (班); Apple's
// marks it with X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY. Everything else in the file is a day off.
const WORKDAY_SUMMARY = /补班|上班|[（(]\s*班\s*[)）]|(^|\s)班$|make-?up|alternate work|working day|workday/i;
// A recurring event (元旦 every year) is read this far ahead; holiday files list years one by one.
const RECURRENCE_YEARS = 10;
// One event a day for a whole year is already more than any holiday calendar holds.
const MAX_DAYS_PER_EVENT = 366;

export class ICalendarError extends Error {}

/**
 * The days off and make-up working days of an iCalendar (.ics) file: every event's days, an
 * all-day event from its first day up to (not including) its end, as RFC 5545 has it; a timed
 * event on the date it starts. A date both off and worked in the file counts as worked: the
 * make-up day is the notice's exception to the holiday around it.
 */
export function daysFromICalendar(text: string): ImportedDays {
  let root: ICAL.Component;
  try {
    root = ICAL.Component.fromString(text);
  } catch (error) {
    throw new ICalendarError(`not an iCalendar file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const events = root.getAllSubcomponents('vevent');
  if (events.length === 0) throw new ICalendarError('the file holds no event (VEVENT)');
  const off = new Set<string>();
  const worked = new Set<string>();
  for (const component of events) {
    const event = new ICAL.Event(component);
    const special = String(component.getFirstPropertyValue('x-apple-special-day') ?? '');
    const isWorkday = special.toUpperCase() === 'ALTERNATE-WORKDAY' || WORKDAY_SUMMARY.test(event.summary ?? '');
    const into = isWorkday ? worked : off;
    for (const start of occurrences(event)) {
      for (const date of daysOf(event, start)) into.add(date);
    }
  }
  for (const date of worked) off.delete(date);
  const holidays = [...off].sort();
  const makeUpWorkingDays = [...worked].sort();
  const years = [...new Set([...holidays, ...makeUpWorkingDays].map((date) => Number(date.slice(0, 4))))].sort();
  return { holidays, makeUpWorkingDays, years };
}

function occurrences(event: ICAL.Event): ICAL.Time[] {
  if (!event.isRecurring()) return [event.startDate];
  const until = event.startDate.year + RECURRENCE_YEARS;
  const starts: ICAL.Time[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.year <= until; next = iterator.next()) starts.push(next);
  return starts;
}

function daysOf(event: ICAL.Event, start: ICAL.Time): string[] {
  const first = localDate(start);
  if (!start.isDate) return [first];
  const length = event.duration.toSeconds() / 86_400;
  const days: string[] = [];
  const day = start.clone();
  for (let i = 0; i < Math.min(Math.max(Math.round(length), 1), MAX_DAYS_PER_EVENT); i++) {
    days.push(localDate(day));
    day.adjust(1, 0, 0, 0);
  }
  return days;
}

function localDate(time: ICAL.Time): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.year}-${pad(time.month)}-${pad(time.day)}`;
}

/**
 * The calendar's dates with the file's years replaced by the file's days: importing the 2027
 * notice twice, or after picking 2027 days by hand, leaves 2027 as the file says; other years stay.
 */
export function mergeImportedDays(
  current: { holidays: string[]; makeUpWorkingDays: string[] },
  imported: ImportedDays,
): { holidays: string[]; makeUpWorkingDays: string[] } {
  const otherYear = (date: string) => !imported.years.includes(Number(date.slice(0, 4)));
  return {
    holidays: [...current.holidays.filter(otherYear), ...imported.holidays].sort(),
    makeUpWorkingDays: [...current.makeUpWorkingDays.filter(otherYear), ...imported.makeUpWorkingDays].sort(),
  };
}
