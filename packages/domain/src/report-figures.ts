// SPEC §8: every figure of the weekly, monthly and half-year reports, with the formula the API
// documentation shows. services/reporting computes each one under the same id, and the gateway
// documents them from this list: a figure is defined here once.

export const PERIOD_KINDS = ['week', 'month', 'half'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The breakdowns of a report, each a table with the figures per value. */
export const REPORT_DIMENSIONS = [
  'region',
  'property',
  'department',
  'category',
  'severity',
  'channel',
  'staff',
  /** The staff member complained about (SPEC §8 staff performance, the half-yearly evaluation). */
  'involvedStaff',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export interface FigureDefinition {
  /**
   * Unit of the value: a count, hours (two decimals), a rate between 0 and 1 (four decimals), yuan
   * (two decimals) or a rating on the 1–5 scale (two decimals).
   */
  unit: 'count' | 'hours' | 'rate' | 'yuan' | 'rating';
  title: { 'zh-CN': string; en: string };
  /** How it is computed, over the complaints (work order figures: the work orders) of the period and scope. */
  formula: string;
}

const COHORT = 'complaints received in the period';

export const FIGURES = {
  received: {
    unit: 'count',
    title: { 'zh-CN': '受理数', en: 'Received' },
    formula: `number of ${COHORT} (merged and withdrawn ones included)`,
  },
  open: {
    unit: 'count',
    title: { 'zh-CN': '未结案', en: 'Open' },
    formula: 'received − closed − withdrawn − merged',
  },
  closed: {
    unit: 'count',
    title: { 'zh-CN': '已结案', en: 'Closed' },
    formula: 'complaints whose status is closed, closed at first contact included',
  },
  closedAtFirstContact: {
    unit: 'count',
    title: { 'zh-CN': '当场解决', en: 'Closed at first contact' },
    formula: 'complaints registered as answered fully at first contact',
  },
  withdrawn: {
    unit: 'count',
    title: { 'zh-CN': '撤诉', en: 'Withdrawn' },
    formula: 'complaints withdrawn by the complainant',
  },
  merged: {
    unit: 'count',
    title: { 'zh-CN': '合并处理', en: 'Merged' },
    formula: 'complaints handled as part of another one (duplicate, collective or merged by staff)',
  },
  invalid: {
    unit: 'count',
    title: { 'zh-CN': '不予受理', en: 'Not accepted (invalid)' },
    formula: 'complaints resolved as invalid (不予受理): the complainant was told why, no callback follows',
  },
  nonLiable: {
    unit: 'count',
    title: { 'zh-CN': '非我方责任', en: 'Not liable' },
    formula: 'complaints whose liability was found to be non-liable (explained to the complainant)',
  },
  assisted: {
    unit: 'count',
    title: { 'zh-CN': '协助处理', en: 'Assisted' },
    formula: 'complaints whose liability is assist: handled with, or waiting on, a body outside the group',
  },
  aboutStaff: {
    unit: 'count',
    title: { 'zh-CN': '涉及员工投诉', en: 'About a named staff member' },
    formula: 'complaints naming the staff member complained about (from the directory)',
  },
  rewards: {
    unit: 'count',
    title: { 'zh-CN': '奖励', en: 'Rewards' },
    formula:
      'rewards decided for staff after these complaints (commendation, bonus); per staff member, those decided for them',
  },
  penalties: {
    unit: 'count',
    title: { 'zh-CN': '处罚', en: 'Penalties' },
    formula:
      'penalties decided for staff after these complaints (training, warnings, deductions, demerit, dismissal); per staff member, those decided for them',
  },
  supervised: {
    unit: 'count',
    title: { 'zh-CN': '督办', en: 'Supervised' },
    formula: 'complaints put under supervision from above (督办) at least once',
  },
  supervisionOverdue: {
    unit: 'count',
    title: { 'zh-CN': '督办逾期', en: 'Supervision overdue' },
    formula: 'complaints whose supervision passed its due time without an answer at least once',
  },
  spotChecked: {
    unit: 'count',
    title: { 'zh-CN': '品质抽查', en: 'Spot-checked' },
    formula: 'closed complaints the quality department spot-checked (品质部抽查)',
  },
  nonconforming: {
    unit: 'count',
    title: { 'zh-CN': '抽查不合格', en: 'Nonconforming' },
    formula: 'spot-checked complaints whose latest spot check found them nonconforming',
  },
  remedied: {
    unit: 'count',
    title: { 'zh-CN': '给予处理措施(退换修赔)', en: 'Remedies given' },
    formula:
      'complaints resolved with a remedy (退换修赔: refund, exchange, repair, discount, compensation or apology; not `none`)',
  },
  remedyYuan: {
    unit: 'yuan',
    title: { 'zh-CN': '退款赔偿金额(元)', en: 'Remedies paid, yuan' },
    formula: 'sum of the amounts of every remedy given (each resolution of a complaint counts), in yuan, two decimals',
  },
  correctiveActions: {
    unit: 'count',
    title: { 'zh-CN': '纠正预防措施', en: 'Corrective actions' },
    formula:
      'corrective and preventive actions (纠正与预防措施) opened for these complaints: named by a resolution, or opened for a recurring problem',
  },
  correctiveActionsVerified: {
    unit: 'count',
    title: { 'zh-CN': '纠正措施已验证', en: 'Corrective actions verified' },
    formula: 'those corrective actions verified by a supervisor or above (as things stand now)',
  },
  correctiveActionsOverdue: {
    unit: 'count',
    title: { 'zh-CN': '纠正措施逾期', en: 'Corrective actions overdue' },
    formula: 'those corrective actions that passed their due time while open, at least once',
  },
  workOrders: {
    unit: 'count',
    title: { 'zh-CN': '报修工单', en: 'Repair work orders' },
    formula:
      'repair work orders (报修) raised in the period at the scope’s properties, from a complaint or on their own; work order figures count work orders, not complaints',
  },
  workOrdersArrivedLate: {
    unit: 'count',
    title: { 'zh-CN': '到场超时', en: 'Work orders arrived late' },
    formula: 'those work orders whose arrive-by time passed before maintenance arrived',
  },
  workOrdersCompletedLate: {
    unit: 'count',
    title: { 'zh-CN': '完工超时', en: 'Work orders completed late' },
    formula: 'those work orders whose complete-by time passed before the work was completed',
  },
  workOrdersReworked: {
    unit: 'count',
    title: { 'zh-CN': '返工工单', en: 'Work orders reworked' },
    formula: 'those work orders the requester sent back as not fixed at least once',
  },
  workOrdersConfirmed: {
    unit: 'count',
    title: { 'zh-CN': '确认修复', en: 'Work orders confirmed' },
    formula: 'those work orders the requester confirmed fixed',
  },
  workOrderRatingMean: {
    unit: 'rating',
    title: { 'zh-CN': '报修平均评分', en: 'Work order rating, mean' },
    formula: 'mean of the requesters’ ratings (1–5) of the confirmed work orders, two decimals',
  },
  workOrderRepeatRepairs: {
    unit: 'count',
    title: { 'zh-CN': '返修', en: 'Repeat repairs' },
    formula: 'those work orders repairing the same unit and trade as another within 90 days (返修)',
  },
  firstReplyHoursMean: {
    unit: 'hours',
    title: { 'zh-CN': '首次答复平均时长(小时)', en: 'First reply, mean hours' },
    formula: 'mean of (first acknowledge − received at), calendar hours, over complaints acknowledged',
  },
  firstReplyHoursMedian: {
    unit: 'hours',
    title: { 'zh-CN': '首次答复时长中位数(小时)', en: 'First reply, median hours' },
    formula: 'median of the same durations (the mean of the two middle values when their number is even)',
  },
  firstReplyHoursP90: {
    unit: 'hours',
    title: { 'zh-CN': '首次答复时长90分位(小时)', en: 'First reply, 90th percentile hours' },
    formula: 'nearest-rank 90th percentile of the same durations: the value at rank ⌈0.9 × n⌉ in ascending order',
  },
  resolutionHoursMean: {
    unit: 'hours',
    title: { 'zh-CN': '处理平均时长(小时)', en: 'Resolution, mean hours' },
    formula: 'mean of (first resolve − received at), calendar hours, over complaints resolved',
  },
  resolutionHoursMedian: {
    unit: 'hours',
    title: { 'zh-CN': '处理时长中位数(小时)', en: 'Resolution, median hours' },
    formula: 'median of the same durations',
  },
  resolutionHoursP90: {
    unit: 'hours',
    title: { 'zh-CN': '处理时长90分位(小时)', en: 'Resolution, 90th percentile hours' },
    formula: 'nearest-rank 90th percentile of the same durations',
  },
  firstReplyOnTimeRate: {
    unit: 'rate',
    title: { 'zh-CN': '首次答复及时率', en: 'First reply on time' },
    formula:
      'acknowledged without a firstReplyBy breach ÷ complaints acknowledged or with a firstReplyBy breach (null when none)',
  },
  resolutionOnTimeRate: {
    unit: 'rate',
    title: { 'zh-CN': '处理及时率', en: 'Resolution on time' },
    formula: 'resolved without any resolveBy breach ÷ complaints resolved or with a resolveBy breach',
  },
  callbackOnTimeRate: {
    unit: 'rate',
    title: { 'zh-CN': '回访及时率', en: 'Callback on time' },
    formula: 'callback completed without a callbackBy breach ÷ complaints called back or with a callbackBy breach',
  },
  satisfactionRate: {
    unit: 'rate',
    title: { 'zh-CN': '满意率', en: 'Satisfaction' },
    formula:
      '(satisfied + basically_satisfied) ÷ complaints with a completed callback; the latest callback of each counts',
  },
  reopenRate: {
    unit: 'rate',
    title: { 'zh-CN': '重开率', en: 'Reopened' },
    formula: 'complaints reopened at least once (round 2 or 3) ÷ complaints resolved at least once',
  },
  breaches: {
    unit: 'count',
    title: { 'zh-CN': '超时次数', en: 'Deadline breaches' },
    formula: 'deadline_breached events of these complaints, every deadline and round',
  },
  escalations: {
    unit: 'count',
    title: { 'zh-CN': '升级次数', en: 'Escalations' },
    formula: 'escalated events of these complaints (escalationsByLevel splits them by the level reached)',
  },
} as const satisfies Record<string, FigureDefinition>;

export type FigureId = keyof typeof FIGURES;
export const FIGURE_IDS = Object.keys(FIGURES) as FigureId[];

/** Figures that are lists rather than numbers, documented with the report. */
export const REPORT_SECTIONS = {
  escalationsByLevel: 'per ladder level reached: the number of escalated events to it',
  recurringProblems:
    'per property, category and location (trimmed, case and spacing ignored): complaints received in the period ' +
    '(merged ones not counted: they are the same case again), ' +
    'listed when their number reaches the group’s recurringThreshold (default 3)',
  top: 'the categories, properties, departments and locations with the most complaints received, at most topItems (default 10) each',
  majorComplaints: 'every complaint whose severity is major, with its status, breaches and satisfaction',
  breakdowns:
    'per region, property, department, category, severity, channel, handling staff and staff complained about (involvedStaff, the half-yearly evaluation of staff): the same figures',
} as const;
