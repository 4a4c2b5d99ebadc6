import { fromZonedTime, toZonedTime } from 'date-fns-tz';
import { addDays } from 'date-fns';

export interface QuietHours {
  /** Local times of day, `HH:mm`; start after end means the night in between. */
  start: string;
  end: string;
}

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * When a message that may not go out in quiet hours can be sent: null when `now` is outside
 * them, else the end of the quiet period in the property's time zone.
 */
export function quietUntil(now: Date, quiet: QuietHours, timeZone: string): Date | null {
  const local = toZonedTime(now, timeZone);
  const minute = local.getHours() * 60 + local.getMinutes();
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const overnight = start > end;
  const inQuiet = overnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inQuiet) return null;
  // Past midnight already, the quiet period ends today; before it, tomorrow.
  const endDay = overnight && minute >= start ? addDays(local, 1) : local;
  const endLocal = new Date(endDay.getFullYear(), endDay.getMonth(), endDay.getDate(), Math.floor(end / 60), end % 60);
  return fromZonedTime(endLocal, timeZone);
}
