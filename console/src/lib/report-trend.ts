/** What the trend charts draw for one period: counts, and rates as percentages (0–100). */
export interface TrendRow {
  period: string;
  received: number | null;
  closed: number | null;
  firstReply: number | null;
  resolution: number | null;
  callback: number | null;
  satisfaction: number | null;
}

const count = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * A rate of the reports (0–1, null when nothing was due in the period) as a percentage with one
 * decimal. Null stays null, never 0: the charts leave such a period as a gap, as 0 % would read
 * as "all late".
 */
export function percentOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1000) / 10 : null;
}

/** One row per period, in the order given; a period whose report is not (yet) there is a row of gaps. */
export function trendRows(reports: readonly { period: string; figures?: Record<string, unknown> }[]): TrendRow[] {
  return reports.map(({ period, figures = {} }) => ({
    period,
    received: count(figures.received),
    closed: count(figures.closed),
    firstReply: percentOf(figures.firstReplyOnTimeRate),
    resolution: percentOf(figures.resolutionOnTimeRate),
    callback: percentOf(figures.callbackOnTimeRate),
    satisfaction: percentOf(figures.satisfactionRate),
  }));
}
