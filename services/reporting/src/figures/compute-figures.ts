import type { FigureId } from '@complaints/domain';
import { isWorkOrderRow, type ComplaintFactsRow, type WorkOrderFacts } from '../complaint-facts/derive-facts';

// The figures of packages/domain's FIGURES, computed over a set of complaint rows. Each id
// there has its computation here; the type makes a figure without one a compile error.

export type Figures = Record<FigureId, number | null> & { escalationsByLevel: Record<string, number> };

const HOUR_MS = 3_600_000;

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function hours(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR_MS;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest rank: the value at rank ⌈p × n⌉ of the ascending values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : round(numerator / denominator, 4);
}

function inHours(value: number | null): number | null {
  return value === null ? null : round(value, 2);
}

function breached(row: ComplaintFactsRow, deadline: string): boolean {
  return row.breaches.includes(deadline);
}

/** On time: done without a breach, over those done or breached (still running ones are not counted). */
function onTimeRate(rows: readonly ComplaintFactsRow[], done: (row: ComplaintFactsRow) => boolean, deadline: string) {
  const decided = rows.filter((row) => done(row) || breached(row, deadline));
  return rate(decided.filter((row) => done(row) && !breached(row, deadline)).length, decided.length);
}

function correctiveActions(rows: readonly ComplaintFactsRow[]) {
  return rows.flatMap((row) => row.correctiveActions ?? []);
}

/** The figures counted over work order rows (their ids begin so); every other figure counts complaint rows only. */
type WorkOrderFigure = Extract<FigureId, `workOrder${string}`>;

const COUNTED_WORK_ORDERS: Record<WorkOrderFigure, (orders: readonly WorkOrderFacts[]) => number | null> = {
  workOrders: (orders) => orders.length,
  workOrdersArrivedLate: (orders) => orders.filter((order) => order.arrivedLate).length,
  workOrdersCompletedLate: (orders) => orders.filter((order) => order.completedLate).length,
  workOrdersReworked: (orders) => orders.filter((order) => order.reworks > 0).length,
  workOrdersConfirmed: (orders) => orders.filter((order) => order.confirmed).length,
  workOrderRatingMean: (orders) => {
    const rated = mean(orders.filter((order) => order.confirmed && order.rating > 0).map((order) => order.rating));
    return rated === null ? null : round(rated, 2);
  },
  workOrderRepeatRepairs: (orders) => orders.filter((order) => order.repeat).length,
};

const COUNTED: Record<Exclude<FigureId, WorkOrderFigure>, (rows: readonly ComplaintFactsRow[]) => number | null> = {
  received: (rows) => rows.length,
  open: (rows) => rows.filter((row) => !['closed', 'withdrawn', 'merged'].includes(row.status)).length,
  closed: (rows) => rows.filter((row) => row.status === 'closed').length,
  closedAtFirstContact: (rows) => rows.filter((row) => row.closedAtFirstContact).length,
  withdrawn: (rows) => rows.filter((row) => row.status === 'withdrawn').length,
  merged: (rows) => rows.filter((row) => row.status === 'merged').length,
  invalid: (rows) => rows.filter((row) => row.validity === 'invalid').length,
  nonLiable: (rows) => rows.filter((row) => row.liability === 'non_liable').length,
  assisted: (rows) => rows.filter((row) => row.liability === 'assist').length,
  aboutStaff: (rows) => rows.filter((row) => row.involvedStaff).length,
  rewards: (rows) => rows.reduce((sum, row) => sum + row.consequences.filter((c) => c.kind === 'reward').length, 0),
  penalties: (rows) => rows.reduce((sum, row) => sum + row.consequences.filter((c) => c.kind === 'penalty').length, 0),
  supervised: (rows) => rows.filter((row) => row.supervised).length,
  supervisionOverdue: (rows) => rows.filter((row) => row.supervisionOverdue).length,
  spotChecked: (rows) => rows.filter((row) => Boolean(row.spotCheck)).length,
  nonconforming: (rows) => rows.filter((row) => row.spotCheck === 'nonconforming').length,
  // Rows stored before remedies were recorded lack both fields: no remedy.
  remedied: (rows) => rows.filter((row) => Boolean(row.remedyKind) && row.remedyKind !== 'none').length,
  // Summed in cents, so no amount is rounded on the way.
  remedyYuan: (rows) =>
    rows.reduce((sum, row) => sum + (Number.isInteger(row.remedyCents) ? row.remedyCents : 0), 0) / 100,
  // Rows stored before corrective actions were published lack the field: none.
  correctiveActions: (rows) => correctiveActions(rows).length,
  correctiveActionsVerified: (rows) => correctiveActions(rows).filter((action) => action.status === 'verified').length,
  correctiveActionsOverdue: (rows) => correctiveActions(rows).filter((action) => action.overdue).length,
  firstReplyHoursMean: (rows) => inHours(mean(firstReplyHours(rows))),
  firstReplyHoursMedian: (rows) => inHours(median(firstReplyHours(rows))),
  firstReplyHoursP90: (rows) => inHours(percentile(firstReplyHours(rows), 0.9)),
  resolutionHoursMean: (rows) => inHours(mean(resolutionHours(rows))),
  resolutionHoursMedian: (rows) => inHours(median(resolutionHours(rows))),
  resolutionHoursP90: (rows) => inHours(percentile(resolutionHours(rows), 0.9)),
  firstReplyOnTimeRate: (rows) => onTimeRate(rows, (row) => row.firstRepliedAt !== null, 'firstReplyBy'),
  resolutionOnTimeRate: (rows) => onTimeRate(rows, (row) => row.resolvedAt !== null, 'resolveBy'),
  callbackOnTimeRate: (rows) => onTimeRate(rows, (row) => row.callbackAt !== null, 'callbackBy'),
  satisfactionRate: (rows) => {
    const answered = rows.filter((row) => row.satisfaction !== '');
    return rate(answered.filter((row) => row.satisfaction !== 'dissatisfied').length, answered.length);
  },
  reopenRate: (rows) => {
    const resolved = rows.filter((row) => row.resolvedAt !== null);
    return rate(resolved.filter((row) => row.round > 1).length, resolved.length);
  },
  breaches: (rows) => rows.reduce((sum, row) => sum + row.breaches.length, 0),
  escalations: (rows) => rows.reduce((sum, row) => sum + row.escalations.length, 0),
};

function firstReplyHours(rows: readonly ComplaintFactsRow[]): number[] {
  return rows.flatMap((row) =>
    row.receivedAt && row.firstRepliedAt ? [hours(row.receivedAt, row.firstRepliedAt)] : [],
  );
}

function resolutionHours(rows: readonly ComplaintFactsRow[]): number[] {
  return rows.flatMap((row) => (row.receivedAt && row.resolvedAt ? [hours(row.receivedAt, row.resolvedAt)] : []));
}

/** The figures of the rows: complaint figures over the complaints' rows, work order figures over the work orders'. */
export function computeFigures(rows: readonly ComplaintFactsRow[]): Figures {
  const complaints = rows.filter((row) => !isWorkOrderRow(row));
  const orders = rows.flatMap((row) => (row.workOrder ? [row.workOrder] : []));
  const escalationsByLevel: Record<string, number> = {};
  for (const level of complaints.flatMap((row) => row.escalations).sort()) {
    escalationsByLevel[level] = (escalationsByLevel[level] ?? 0) + 1;
  }
  const figures = Object.fromEntries([
    ...Object.entries(COUNTED).map(([id, compute]) => [id, compute(complaints)]),
    ...Object.entries(COUNTED_WORK_ORDERS).map(([id, compute]) => [id, compute(orders)]),
  ]) as Record<FigureId, number | null>;
  return { ...figures, escalationsByLevel };
}
