/** ISO week key of a date (`2026-W48`), as the reports name their weeks. */
export function isoWeekKey(date: Date): string {
  const day = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function monthKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * The date it is in `timeZone` at `instant`, as a local Date at midnight (what the other helpers
 * read): the reports cut their periods in the group's report time zone, not the browser's, and
 * the two differ for hours around every midnight.
 */
export function dateIn(timeZone: string, instant: Date): Date {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(part('year'), part('month') - 1, part('day'));
}

/** The last `count` periods ending with the one containing `date`, oldest first. */
export function lastPeriods(kind: 'week' | 'month', date: Date, count: number): string[] {
  const keys: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    if (kind === 'week') keys.push(isoWeekKey(new Date(date.getFullYear(), date.getMonth(), date.getDate() - 7 * i)));
    else keys.push(monthKey(new Date(date.getFullYear(), date.getMonth() - i, 1)));
  }
  return keys;
}
