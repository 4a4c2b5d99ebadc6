import { deriveFacts, type ComplaintFactsRow } from '../src/complaint-facts/derive-facts';
import { v1 } from '@complaints/contracts';
import { createEvent, workOrderKey } from '@complaints/messaging';
import { factEventOf, type FactEvent } from '../src/complaint-facts/fact-event';
import { allScopeReports, scopeReport } from '../src/figures/build-report';
import { computeFigures, median, percentile } from '../src/figures/compute-figures';
import { periodOf } from '../src/periods/periods';
import { DEFAULT_REPORT_SETTINGS } from '../src/settings/report-settings.repository';
import { EXPECTED_W48, GROUP, knownComplaints } from './known-events';

// The pure half of reporting: rows derived from the known events, and the figures computed from
// them, against the hand-computed values. test/reporting.e2e.spec.ts does the same through the
// real servers.

function rows(order: 'as-built' | 'shuffled'): ComplaintFactsRow[] {
  const w48 = periodOf('week', '2026-W48', 'Asia/Shanghai');
  return Object.values(knownComplaints())
    .map((complaint) => {
      let events = complaint.events.map(factEventOf);
      if (order === 'shuffled') events = [...events.reverse(), events[1], events[0]];
      return deriveFacts(complaint.events[0].groupId, complaint.id, events);
    })
    .filter((row) => row.groupId === GROUP && row.receivedAt! >= w48.start && row.receivedAt! < w48.end);
}

describe('report figures from complaint facts', () => {
  it('derives the same rows whatever the order, duplicates included', () => {
    expect(rows('shuffled')).toEqual(rows('as-built'));
  });

  it('gives the hand-computed figures for the known week', () => {
    const report = scopeReport('group', rows('as-built'), DEFAULT_REPORT_SETTINGS);
    expect(report.figures).toEqual(EXPECTED_W48);
  });

  it('counts the other outcomes: invalid, non-liable and assisted', () => {
    const outcomes: Partial<ComplaintFactsRow>[] = [
      { validity: 'invalid', liability: 'non_liable' },
      { validity: 'valid', liability: 'non_liable' },
      { validity: 'valid', liability: 'assist' },
      { validity: 'valid', liability: 'responsible' },
    ];
    const changed = rows('as-built').map((row, index) => ({ ...row, ...outcomes[index] }));
    expect(computeFigures(changed)).toMatchObject({ invalid: 1, nonLiable: 2, assisted: 1 });
  });

  it('counts supervision (督办) and quality spot checks (品质部抽查) from their events', () => {
    const [first, second, third] = Object.values(knownComplaints()).filter(
      (complaint) => complaint.events[0].groupId === GROUP,
    );
    const at = (day: number) => `2026-11-${day}T02:00:00.000Z`;
    const transitioned = (id: string, day: number, action: string): FactEvent => ({
      id,
      at: at(day),
      type: 'transitioned',
      action,
      toStatus: 'closed',
      status: '',
      severity: '',
      round: 1,
      satisfaction: '',
      outcome: '',
      validity: '',
      liability: '',
    });
    const checked = (id: string, day: number, verdict: string): FactEvent => ({
      id,
      at: at(day),
      type: 'spot_checked',
      verdict,
    });
    const facts = (complaint: typeof first, extra: FactEvent[]) =>
      deriveFacts(GROUP, complaint.id, [...complaint.events.map(factEventOf), ...extra]);
    const supervisedLate = facts(first, [
      transitioned('x1', 26, 'supervise'),
      transitioned('x2', 27, 'supervision_overdue'),
      checked('x3', 28, 'conforming'),
    ]);
    // The latest check counts, whatever order the events arrive in.
    const checkedTwice = facts(second, [
      checked('x6', 29, 'nonconforming'),
      transitioned('x4', 26, 'supervise'),
      checked('x5', 28, 'conforming'),
    ]);
    const neither = facts(third, []);
    expect(supervisedLate).toMatchObject({ supervised: true, supervisionOverdue: true, spotCheck: 'conforming' });
    expect(checkedTwice).toMatchObject({ supervised: true, supervisionOverdue: false, spotCheck: 'nonconforming' });
    expect(neither).toMatchObject({ supervised: false, supervisionOverdue: false, spotCheck: '' });
    expect(computeFigures([supervisedLate, checkedTwice, neither])).toMatchObject({
      supervised: 2,
      supervisionOverdue: 1,
      spotChecked: 2,
      nonconforming: 1,
    });
  });

  it('counts the remedies given (退换修赔) and sums their amounts in cents, every resolution of a complaint', () => {
    const resolve = (id: string, remedy: unknown): FactEvent =>
      factEventOf(
        createEvent(
          'transitioned',
          { groupId: GROUP, complaintId: 'c-remedy', occurredAt: new Date('2026-11-25T02:00:00Z'), idempotencyKey: id },
          v1.LifecycleTransitioned.fromPartial({
            action: 'resolve',
            toStatus: 'resolved',
            detailsJson: JSON.stringify({ liability: 'responsible', validity: 'valid', result: '已处理', remedy }),
          }),
        ),
      );
    const twice = deriveFacts(GROUP, 'c-remedy', [
      resolve('r1', { kind: 'refund', amount: '0.10' }),
      resolve('r2', { kind: 'compensation', amount: '0.20' }),
    ]);
    expect(twice).toMatchObject({ remedyKind: 'compensation', remedyCents: 30 });
    const apology = deriveFacts(GROUP, 'c-apology', [resolve('r3', { kind: 'apology' })]);
    const nothing = deriveFacts(GROUP, 'c-none', [resolve('r4', { kind: 'none' }), resolve('r5', { amount: 'x' })]);
    const [first, ...others] = rows('as-built');
    expect(computeFigures([{ ...first, ...twice }, apology, nothing, ...others])).toMatchObject({
      remedied: 2,
      // 0.1 + 0.2 in floating point would not be 0.3.
      remedyYuan: 0.3,
    });
  });

  it('counts corrective actions from their events: opened, verified, ever overdue', () => {
    const step = (complaintId: string, key: string, correctiveActionId: string, name: string, day: number): FactEvent =>
      factEventOf(
        createEvent(
          'corrective_action',
          { groupId: GROUP, complaintId, occurredAt: new Date(Date.UTC(2026, 10, day)), idempotencyKey: key },
          v1.CorrectiveActionStepped.fromPartial({ correctiveActionId, step: name }),
        ),
      );
    const verified = deriveFacts(GROUP, 'c-ca1', [
      step('c-ca1', 'k1', 'c-ca1:round-1', 'opened', 24),
      step('c-ca1', 'k2', 'c-ca1:round-1', 'overdue', 26),
      step('c-ca1', 'k3', 'c-ca1:round-1', 'done', 27),
      step('c-ca1', 'k4', 'c-ca1:round-1', 'verified', 28),
      step('c-ca1', 'k5', 'recurring:c-ca1', 'opened', 24),
    ]);
    const returned = deriveFacts(GROUP, 'c-ca2', [
      step('c-ca2', 'k6', 'c-ca2:round-1', 'opened', 24),
      step('c-ca2', 'k7', 'c-ca2:round-1', 'done', 25),
      step('c-ca2', 'k8', 'c-ca2:round-1', 'returned', 26),
    ]);
    const [first, second, ...others] = rows('as-built');
    expect(computeFigures([{ ...first, ...verified }, { ...second, ...returned }, ...others])).toMatchObject({
      correctiveActions: 3,
      correctiveActionsVerified: 1,
      correctiveActionsOverdue: 1,
    });
    // A row stored before corrective actions were published counts none.
    const { correctiveActions: _dropped, ...older } = first;
    expect(computeFigures([older as typeof first])).toMatchObject({ correctiveActions: 0 });
  });

  it('counts work orders, standalone ones too, apart from the complaints: only in their own figures, per property', () => {
    let key = 0;
    const order = (id: string, propertyId: string, steps: Partial<v1.WorkOrderStepped>[]): ComplaintFactsRow =>
      deriveFacts(
        GROUP,
        workOrderKey(id),
        steps.map((step) =>
          factEventOf(
            createEvent(
              'work_order',
              {
                groupId: GROUP,
                complaintId: workOrderKey(id),
                occurredAt: new Date('2026-11-25T02:00:00Z'),
                idempotencyKey: `wo-${key++}`,
              },
              v1.WorkOrderStepped.fromPartial({
                workOrderId: id,
                number: `WO-${id}`,
                propertyId,
                regionId: 'east',
                raisedAt: '2026-11-25T02:00:00Z',
                ...step,
              }),
            ),
          ),
        ),
      );
    const orders = [
      // Arrived late, sent back once, then confirmed with 3; raised from a complaint.
      order('w1', 'sh-mall', [
        { step: 'raised', complaintId: 'c1' },
        { step: 'arrived', late: true },
        { step: 'completed' },
        { step: 'rework', rating: 1, reworks: 1 },
        { step: 'completed', reworks: 1 },
        { step: 'confirmed', rating: 3, reworks: 1 },
      ]),
      // On its own, a repeat repair, overdue for completion, confirmed with 5.
      order('w2', 'sh-mall', [
        { step: 'raised', repeatOfId: 'w0' },
        { step: 'overdue', stage: 'completion' },
        { step: 'confirmed', rating: 5 },
      ]),
      // Still open at another property.
      order('w3', 'sh-wharf', [{ step: 'raised' }]),
    ];
    expect(orders[0].workOrder).toMatchObject({ complaintId: 'c1', arrivedLate: true, reworks: 1, rating: 3 });
    const report = scopeReport('group', [...rows('as-built'), ...orders], DEFAULT_REPORT_SETTINGS);
    // The complaint figures are those of the complaints alone.
    expect(report.figures).toEqual({
      ...EXPECTED_W48,
      workOrders: 3,
      workOrdersArrivedLate: 1,
      workOrdersCompletedLate: 1,
      workOrdersReworked: 1,
      workOrdersConfirmed: 2,
      workOrderRatingMean: 4,
      workOrderRepeatRepairs: 1,
    });
    const property = (id: string) => report.breakdowns.property.find((row) => row.key === id)?.figures;
    expect(property('sh-mall')).toMatchObject({ workOrders: 2, workOrderRatingMean: 4 });
    expect(property('sh-wharf')).toMatchObject({ workOrders: 1, workOrdersConfirmed: 0, workOrderRatingMean: null });
    // Not a complaint's category, department or staff: left out of those breakdowns and lists.
    expect(report.breakdowns.category.some((row) => (row.figures.workOrders ?? 0) > 0)).toBe(false);
    expect(report.top.properties).toEqual(
      scopeReport('group', rows('as-built'), DEFAULT_REPORT_SETTINGS).top.properties,
    );
    // A scope with work orders only has its report.
    expect(allScopeReports(orders, DEFAULT_REPORT_SETTINGS).map((one) => one.scope)).toContain('property:sh-wharf');
  });

  it('finds the recurring problem, the top items and the major complaint', () => {
    const report = scopeReport('group', rows('as-built'), DEFAULT_REPORT_SETTINGS);
    expect(report.recurringProblems).toEqual([
      {
        propertyId: 'sh-mall',
        category: 'facilities_equipment',
        location: 'b1 停车场',
        count: 3,
        numbers: ['SHM01-20261123-0001', 'SHM01-20261124-0001', 'SHM01-20261125-0001'],
      },
    ]);
    expect(report.top.categories).toEqual([
      { key: 'facilities_equipment', count: 4 },
      { key: 'environment_public_area', count: 1 },
      { key: 'repair', count: 1 },
      { key: 'service_quality', count: 1 },
    ]);
    expect(report.majorComplaints.map((complaint) => [complaint.number, complaint.status, complaint.breaches])).toEqual(
      [['SHT01-20261126-0001', 'callback_done', ['resolveBy']]],
    );
  });

  it('breaks the figures down and cuts the scopes', () => {
    const reports = allScopeReports(rows('as-built'), DEFAULT_REPORT_SETTINGS);
    expect(reports.map((report) => [report.scope, report.figures.received])).toEqual([
      ['group', 7],
      ['region:east', 5],
      ['region:south', 2],
      ['property:gz-estate', 2],
      ['property:sh-mall', 4],
      ['property:sh-tower', 1],
    ]);
    const group = reports[0];
    expect(group.breakdowns.staff.map((row) => [row.key, row.name, row.figures.received])).toEqual([
      ['s-huang-mei', '黄梅 Huang Mei', 1],
      ['s-li-na', '李娜 Li Na', 5],
      ['s-sun-li', '孙丽 Sun Li', 1],
    ]);
    expect(group.breakdowns.severity.find((row) => row.key === 'important')?.figures.firstReplyOnTimeRate).toBe(0);
  });

  it('takes the median between the middle values and the nearest-rank percentile', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 0.9)).toBe(100);
    expect(percentile([], 0.9)).toBeNull();
  });
});

describe('breaches the platform caused', () => {
  it('keeps breaches with the cause platform_late apart from staff misses, still counting every breach', () => {
    const { c1 } = knownComplaints();
    const [registered] = c1.events.map(factEventOf);
    const breach = (id: string, deadline: string, cause: string) => ({
      id,
      at: '2026-11-23T05:00:00.000Z',
      type: 'breached' as const,
      deadline,
      cause,
    });
    const row = deriveFacts(GROUP, c1.id, [
      registered,
      breach('b1', 'firstReplyBy', 'platform_late'),
      breach('b2', 'resolveBy', 'missed'),
      breach('b3', 'callbackBy', ''),
    ]);
    expect(row.breaches).toEqual(['callbackBy', 'firstReplyBy', 'resolveBy']);
    expect(row.platformLateBreaches).toEqual(['firstReplyBy']);
  });
});
