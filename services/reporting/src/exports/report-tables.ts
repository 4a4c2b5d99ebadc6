import { FIGURE_IDS, FIGURES, label, REPORT_DIMENSIONS, type Language, type ReportDimension } from '@complaints/domain';
import type { ScopeReport } from '../figures/build-report';
import type { Figures } from '../figures/compute-figures';

// A report as plain tables (summary first, then one per breakdown and list): the XLSX and the
// CSV are both written from these, so the two exports always hold the same numbers.

export type Cell = string | number | null;

export interface Table {
  /** Sheet name in the XLSX, section title in the CSV. */
  title: string;
  columns: { header: string; rate?: boolean }[];
  rows: Cell[][];
}

export interface ReportNames {
  properties: ReadonlyMap<string, string>;
  regions: ReadonlyMap<string, string>;
}

export interface ExportInput {
  period: { kind: string; key: string };
  scope: string;
  report: ScopeReport;
  names: ReportNames;
  language: Language;
}

const TEXT = {
  'zh-CN': {
    summary: '汇总',
    figure: '指标',
    value: '数值',
    formula: '计算方法',
    period: '统计周期',
    scope: '范围',
    by: {
      region: '按区域',
      property: '按项目',
      department: '按部门',
      category: '按类别',
      severity: '按等级',
      channel: '按渠道',
      staff: '按处理人',
      involvedStaff: '按被投诉员工',
    },
    dimension: {
      region: '区域',
      property: '项目',
      department: '部门',
      category: '类别',
      severity: '等级',
      channel: '渠道',
      staff: '处理人',
      involvedStaff: '被投诉员工',
    },
    escalationsTo: '升级至',
    recurring: '重复问题',
    location: '位置',
    count: '数量',
    numbers: '投诉编号',
    top: '排行',
    list: '榜单',
    rank: '名次',
    major: '重大投诉',
    number: '投诉编号',
    receivedAt: '受理时间',
    status: '状态',
    breaches: '超时',
    satisfaction: '满意度',
    handler: '处理人',
    topLists: { categories: '类别', properties: '项目', departments: '部门', locations: '位置' },
  },
  en: {
    summary: 'Summary',
    figure: 'Figure',
    value: 'Value',
    formula: 'Formula',
    period: 'Period',
    scope: 'Scope',
    by: {
      region: 'By region',
      property: 'By property',
      department: 'By department',
      category: 'By category',
      severity: 'By severity',
      channel: 'By channel',
      staff: 'By staff',
      involvedStaff: 'By staff complained about',
    },
    dimension: {
      region: 'Region',
      property: 'Property',
      department: 'Department',
      category: 'Category',
      severity: 'Severity',
      channel: 'Channel',
      staff: 'Staff',
      involvedStaff: 'Staff complained about',
    },
    escalationsTo: 'Escalated to',
    recurring: 'Recurring problems',
    location: 'Location',
    count: 'Count',
    numbers: 'Complaint numbers',
    top: 'Top items',
    list: 'List',
    rank: 'Rank',
    major: 'Major complaints',
    number: 'Number',
    receivedAt: 'Received at',
    status: 'Status',
    breaches: 'Breaches',
    satisfaction: 'Satisfaction',
    handler: 'Handler',
    topLists: {
      categories: 'Categories',
      properties: 'Properties',
      departments: 'Departments',
      locations: 'Locations',
    },
  },
} as const;

function nameOf(dimension: ReportDimension, key: string, input: ExportInput, staffName?: string): string {
  if (key === '') return '—';
  switch (dimension) {
    case 'property':
      return input.names.properties.get(key) ?? key;
    case 'region':
      return input.names.regions.get(key) ?? key;
    case 'staff':
    case 'involvedStaff':
      return staffName || key;
    default:
      return label(input.language, key);
  }
}

function figureCells(figures: Figures): Cell[] {
  return FIGURE_IDS.map((id) => figures[id]);
}

export function reportTables(input: ExportInput): Table[] {
  const text = TEXT[input.language];
  const { report } = input;
  const figureColumns = FIGURE_IDS.map((id) => ({
    header: FIGURES[id].title[input.language],
    rate: FIGURES[id].unit === 'rate',
  }));
  const summary: Table = {
    title: text.summary,
    columns: [{ header: text.figure }, { header: text.value }, { header: text.formula }],
    rows: [
      [text.period, `${input.period.kind} ${input.period.key}`, ''],
      [text.scope, input.scope, ''],
      ...FIGURE_IDS.map((id): Cell[] => [FIGURES[id].title[input.language], report.figures[id], FIGURES[id].formula]),
      ...Object.entries(report.figures.escalationsByLevel).map(([level, count]): Cell[] => [
        `${text.escalationsTo} ${label(input.language, level)}`,
        count,
        '',
      ]),
    ],
  };
  const breakdowns = REPORT_DIMENSIONS.map((dimension): Table => ({
    title: text.by[dimension],
    columns: [{ header: text.dimension[dimension] }, ...figureColumns],
    rows: report.breakdowns[dimension].map((row) => [
      nameOf(dimension, row.key, input, row.name),
      ...figureCells(row.figures),
    ]),
  }));
  const recurring: Table = {
    title: text.recurring,
    columns: [
      { header: text.dimension.property },
      { header: text.dimension.category },
      { header: text.location },
      { header: text.count },
      { header: text.numbers },
    ],
    rows: report.recurringProblems.map((problem) => [
      nameOf('property', problem.propertyId, input),
      label(input.language, problem.category),
      problem.location,
      problem.count,
      problem.numbers.join(' '),
    ]),
  };
  const tops: Table = {
    title: text.top,
    columns: [{ header: text.list }, { header: text.rank }, { header: text.figure }, { header: text.count }],
    rows: (['categories', 'properties', 'departments', 'locations'] as const).flatMap((list) =>
      report.top[list].map((entry, index): Cell[] => [
        text.topLists[list],
        index + 1,
        list === 'properties'
          ? nameOf('property', entry.key, input)
          : list === 'locations'
            ? entry.key
            : label(input.language, entry.key),
        entry.count,
      ]),
    ),
  };
  const major: Table = {
    title: text.major,
    columns: [
      { header: text.number },
      { header: text.dimension.property },
      { header: text.dimension.category },
      { header: text.dimension.department },
      { header: text.receivedAt },
      { header: text.status },
      { header: text.breaches },
      { header: text.satisfaction },
      { header: text.handler },
    ],
    rows: report.majorComplaints.map((complaint) => [
      complaint.number,
      nameOf('property', complaint.propertyId, input),
      label(input.language, complaint.category),
      label(input.language, complaint.department),
      complaint.receivedAt,
      label(input.language, complaint.status),
      complaint.breaches.map((deadline) => label(input.language, deadline)).join(', '),
      complaint.satisfaction ? label(input.language, complaint.satisfaction) : '',
      complaint.handler,
    ]),
  };
  return [summary, ...breakdowns, recurring, tops, major];
}
