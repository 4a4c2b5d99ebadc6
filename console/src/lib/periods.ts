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

/** The last `count` periods ending with the one containing `date`, oldest first. */
export function lastPeriods(kind: 'week' | 'month', date: Date, count: number): string[] {
  const keys: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    if (kind === 'week') keys.push(isoWeekKey(new Date(date.getFullYear(), date.getMonth(), date.getDate() - 7 * i)));
    else keys.push(monthKey(new Date(date.getFullYear(), date.getMonth() - i, 1)));
  }
  return keys;
}
