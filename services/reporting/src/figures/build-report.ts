import { REPORT_DIMENSIONS, type Language, type ReportDimension } from '@complaints/domain';
import { isWorkOrderRow, type ComplaintFactsRow } from '../complaint-facts/derive-facts';
import type { StaffRef } from '../complaint-facts/fact-event';
import { computeFigures, type Figures } from './compute-figures';

/** What a group chooses about its reports (GET/PUT /v1/admin/report-settings). */
export interface ReportSettings {
  /** IANA zone the weeks and months are cut in. */
  timeZone: string;
  /** Complaints on one category and location within a period from which it is a recurring problem. */
  recurringThreshold: number;
  /** How many entries each top list has. */
  topItems: number;
  /** What the scheduled reports, and the mails that carry them to the heads, are written in. */
  language: Language;
}

/** group, region:<id> or property:<id>. */
export type ScopeKey = string;

export interface BreakdownRow {
  key: string;
  /** Handling staff only: the name events gave them. */
  name?: string;
  figures: Figures;
}

export interface RecurringProblem {
  propertyId: string;
  category: string;
  location: string;
  count: number;
  numbers: string[];
}

export interface TopEntry {
  key: string;
  count: number;
}

export interface MajorComplaint {
  complaintId: string;
  number: string;
  propertyId: string;
  regionId: string;
  category: string;
  department: string;
  receivedAt: string;
  status: string;
  breaches: string[];
  satisfaction: string;
  handler: string;
}

/** One scope's report for one period: what is stored as a rollup and served by the API. */
export interface ScopeReport {
  scope: ScopeKey;
  figures: Figures;
  breakdowns: Record<ReportDimension, BreakdownRow[]>;
  recurringProblems: RecurringProblem[];
  top: { categories: TopEntry[]; properties: TopEntry[]; departments: TopEntry[]; locations: TopEntry[] };
  majorComplaints: MajorComplaint[];
}

const VALUE_OF: Record<ReportDimension, (row: ComplaintFactsRow) => string> = {
  region: (row) => row.regionId,
  property: (row) => row.propertyId,
  department: (row) => row.department,
  category: (row) => row.category,
  severity: (row) => row.severity,
  channel: (row) => row.channel,
  staff: (row) => row.handler?.id ?? '',
  involvedStaff: (row) => row.involvedStaff?.id ?? '',
};

/** The name shown beside a staff breakdown's key. */
const STAFF_OF: Partial<Record<ReportDimension, (row: ComplaintFactsRow) => StaffRef | null>> = {
  staff: (row) => row.handler,
  involvedStaff: (row) => row.involvedStaff,
};

function byKey(
  rows: readonly ComplaintFactsRow[],
  keyOf: (row: ComplaintFactsRow) => string,
): Map<string, ComplaintFactsRow[]> {
  const groups = new Map<string, ComplaintFactsRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const members = groups.get(key);
    if (members) members.push(row);
    else groups.set(key, [row]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function breakdown(rows: readonly ComplaintFactsRow[], dimension: ReportDimension): BreakdownRow[] {
  const staffOf = STAFF_OF[dimension];
  const breakdownRows = [...byKey(rows, VALUE_OF[dimension]).entries()].map(([key, members]) => ({
    key,
    ...(staffOf ? { name: members.map(staffOf).find((staff) => staff)?.name ?? '' } : {}),
    figures: computeFigures(members),
  }));
  return dimension === 'involvedStaff' ? withConsequencesOfEach(rows, breakdownRows) : breakdownRows;
}

/**
 * The per-staff breakdown of complaints about staff (the half-year evaluation) counts rewards and
 * penalties under whom they were decided for, not under the staff member the complaint named
 * (mostly the same person, not always): someone rewarded after a complaint about a colleague gets
 * a row of their own, with no complaint counted.
 */
function withConsequencesOfEach(rows: readonly ComplaintFactsRow[], breakdownRows: BreakdownRow[]): BreakdownRow[] {
  const decided = new Map<string, { name: string; rewards: number; penalties: number }>();
  for (const consequence of rows.flatMap((row) => row.consequences)) {
    const counts = decided.get(consequence.staffId) ?? { name: '', rewards: 0, penalties: 0 };
    counts.name ||= consequence.staffName ?? '';
    if (consequence.kind === 'reward') counts.rewards += 1;
    if (consequence.kind === 'penalty') counts.penalties += 1;
    decided.set(consequence.staffId, counts);
  }
  const counted = (key: string) => ({
    rewards: decided.get(key)?.rewards ?? 0,
    penalties: decided.get(key)?.penalties ?? 0,
  });
  const known = new Set(breakdownRows.map((row) => row.key));
  const others = [...decided.entries()]
    .filter(([key]) => !known.has(key))
    .map(([key, { name }]) => ({ key, name: name || key, figures: computeFigures([]) }));
  return [...breakdownRows, ...others]
    .map((row) => ({ ...row, figures: { ...row.figures, ...counted(row.key) } }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function top(rows: readonly ComplaintFactsRow[], keyOf: (row: ComplaintFactsRow) => string, limit: number): TopEntry[] {
  return [...byKey(rows, keyOf).entries()]
    .filter(([key]) => key !== '')
    .map(([key, members]) => ({ key, count: members.length }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
    .slice(0, limit);
}

function recurring(rows: readonly ComplaintFactsRow[], threshold: number): RecurringProblem[] {
  // A merged complaint is the same case reported again: it does not make a problem recur.
  const located = rows.filter((row) => row.location !== '' && row.category !== '' && row.status !== 'merged');
  return [...byKey(located, (row) => `${row.propertyId}\u0000${row.category}\u0000${row.location}`)]
    .filter(([, members]) => members.length >= threshold)
    .map(([, members]) => ({
      propertyId: members[0].propertyId,
      category: members[0].category,
      location: members[0].location,
      count: members.length,
      numbers: members.map((row) => row.number).sort(),
    }))
    .sort((a, b) => b.count - a.count);
}

function major(rows: readonly ComplaintFactsRow[]): MajorComplaint[] {
  return rows
    .filter((row) => row.severity === 'major')
    .map((row) => ({
      complaintId: row.complaintId,
      number: row.number,
      propertyId: row.propertyId,
      regionId: row.regionId,
      category: row.category,
      department: row.department,
      receivedAt: row.receivedAt?.toISOString() ?? '',
      status: row.status,
      breaches: row.breaches,
      satisfaction: row.satisfaction,
      handler: row.handler?.name ?? '',
    }))
    .sort((a, b) =>
      a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.number < b.number ? -1 : 1,
    );
}

/** Work orders have a property and region, nothing of the other breakdowns: they are left out of those. */
const WORK_ORDER_DIMENSIONS: readonly ReportDimension[] = ['region', 'property'];

/**
 * `rows` may hold work orders' rows beside the complaints': the work order figures count them,
 * in the whole and per region and property; everything else is about the complaints.
 */
export function scopeReport(scope: ScopeKey, all: readonly ComplaintFactsRow[], settings: ReportSettings): ScopeReport {
  const rows = all.filter((row) => !isWorkOrderRow(row));
  return {
    scope,
    figures: computeFigures(all),
    breakdowns: Object.fromEntries(
      REPORT_DIMENSIONS.map((dimension) => [
        dimension,
        breakdown(WORK_ORDER_DIMENSIONS.includes(dimension) ? all : rows, dimension),
      ]),
    ) as Record<ReportDimension, BreakdownRow[]>,
    recurringProblems: recurring(rows, settings.recurringThreshold),
    top: {
      categories: top(rows, VALUE_OF.category, settings.topItems),
      properties: top(rows, VALUE_OF.property, settings.topItems),
      departments: top(rows, VALUE_OF.department, settings.topItems),
      locations: top(rows, (row) => (row.location ? `${row.propertyId} ${row.location}` : ''), settings.topItems),
    },
    majorComplaints: major(rows),
  };
}

/** The report of every scope the period has complaints in: the group, each region, each property. */
export function allScopeReports(rows: readonly ComplaintFactsRow[], settings: ReportSettings): ScopeReport[] {
  const reports = [scopeReport('group', rows, settings)];
  for (const [region, members] of byKey(rows, VALUE_OF.region)) {
    if (region) reports.push(scopeReport(`region:${region}`, members, settings));
  }
  for (const [property, members] of byKey(rows, VALUE_OF.property)) {
    if (property) reports.push(scopeReport(`property:${property}`, members, settings));
  }
  return reports;
}
