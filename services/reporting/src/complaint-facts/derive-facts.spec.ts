import { deriveFacts } from './derive-facts';
import type { FactEvent } from './fact-event';

describe('a complaint’s facts', () => {
  const transitioned = (id: string, at: string, action: string, facts: Partial<FactEvent & { type: 'transitioned' }>) =>
    ({
      id,
      at,
      type: 'transitioned',
      action,
      toStatus: '',
      status: '',
      severity: 'general',
      round: 1,
      satisfaction: '',
      outcome: '',
      validity: '',
      liability: '',
      ...facts,
    }) as FactEvent;

  it('counts the complainant’s survey answer as the callback, and a failed attempt as none', () => {
    const facts = deriveFacts('g1', 'c1', [
      transitioned('e1', '2026-12-01T08:00:00Z', 'resolve', { status: 'resolved', validity: 'valid' }),
      transitioned('e2', '2026-12-01T09:00:00Z', 'record_callback', { status: 'resolved', outcome: 'attempt' }),
      transitioned('e3', '2026-12-01T10:00:00Z', 'send_survey', { status: 'resolved' }),
      transitioned('e4', '2026-12-01T11:00:00Z', 'answer_survey', {
        status: 'callback_done',
        outcome: 'completed',
        satisfaction: 'basically_satisfied',
      }),
    ]);
    expect(facts.callbackAt).toEqual(new Date('2026-12-01T11:00:00Z'));
    expect(facts.satisfaction).toBe('basically_satisfied');
  });

  it('names the staff member complained about, as registered or corrected later, and counts rewards and penalties', () => {
    const registered = {
      id: 'e1',
      at: '2026-12-01T08:00:00Z',
      type: 'registered',
      number: 'SHM-20261201-0001',
      propertyId: 'sh-mall',
      regionId: 'east',
      channel: 'phone',
      receivedAt: '2026-12-01T08:00:00Z',
      location: '',
      closedAtFirstContact: false,
      involvedStaff: { id: 's-li-na', name: '李娜' },
    } as const satisfies FactEvent;
    const corrected = {
      id: 'e2',
      at: '2026-12-02T08:00:00Z',
      type: 'involved_staff',
      involvedStaff: { id: 's-wang-lei', name: '王磊' },
    } as const satisfies FactEvent;
    const penalty = {
      id: 'e3',
      at: '2026-12-03T08:00:00Z',
      type: 'consequence',
      staff: { id: 's-wang-lei', name: '王磊' },
      kind: 'penalty',
      measure: 'verbal_warning',
    } as const satisfies FactEvent;
    // Any arrival order, and a duplicate, give the same row.
    const facts = deriveFacts('g1', 'c1', [penalty, corrected, registered, penalty]);
    expect(facts.involvedStaff).toEqual({ id: 's-wang-lei', name: '王磊' });
    expect(facts.consequences).toEqual([
      { staffId: 's-wang-lei', staffName: '王磊', kind: 'penalty', measure: 'verbal_warning' },
    ]);
    // A registration stored before the field existed names nobody.
    const { involvedStaff: _dropped, ...older } = registered;
    expect(deriveFacts('g1', 'c1', [older]).involvedStaff).toBeNull();
    // A correction to nobody clears it.
    expect(deriveFacts('g1', 'c1', [registered, { ...corrected, involvedStaff: null }]).involvedStaff).toBeNull();
  });

  it('follows each corrective action to its latest step, and whether it was ever overdue', () => {
    const step = (id: string, at: string, actionId: string, name: string): FactEvent => ({
      id,
      at,
      type: 'corrective_action',
      actionId,
      step: name,
    });
    const events = [
      step('a1', '2026-12-01T08:00:00Z', 'c1:round-1', 'opened'),
      step('a2', '2026-12-05T08:00:00Z', 'c1:round-1', 'overdue'),
      step('a3', '2026-12-06T08:00:00Z', 'c1:round-1', 'done'),
      step('a4', '2026-12-07T08:00:00Z', 'c1:round-1', 'returned'),
      step('a5', '2026-12-08T08:00:00Z', 'c1:round-1', 'done'),
      step('a6', '2026-12-09T08:00:00Z', 'c1:round-1', 'verified'),
      step('b1', '2026-12-02T08:00:00Z', 'recurring:c1', 'opened'),
      step('b2', '2026-12-03T08:00:00Z', 'recurring:c1', 'done'),
    ];
    const expected = [
      { id: 'c1:round-1', status: 'verified', overdue: true },
      { id: 'recurring:c1', status: 'done', overdue: false },
    ];
    expect(deriveFacts('g1', 'c1', events).correctiveActions).toEqual(expected);
    // Any arrival order, and duplicates, give the same row.
    expect(deriveFacts('g1', 'c1', [...events].reverse().concat(events.slice(0, 3))).correctiveActions).toEqual(
      expected,
    );
    // Sent back and not done again: open.
    expect(deriveFacts('g1', 'c1', events.slice(0, 4)).correctiveActions[0]).toMatchObject({ status: 'open' });
    expect(deriveFacts('g1', 'c1', []).correctiveActions).toEqual([]);
  });

  it('keeps a work order’s facts on its own row, filed by when it was raised', () => {
    const step = (id: string, at: string, facts: Partial<FactEvent & { type: 'work_order' }>): FactEvent => ({
      id,
      at,
      type: 'work_order',
      number: 'WO-SHM01-20261201-0001',
      step: 'raised',
      stage: '',
      propertyId: 'sh-mall',
      regionId: 'east',
      complaintId: '',
      raisedAt: '2026-12-01T08:00:00Z',
      late: false,
      rating: 0,
      repeatOfId: '',
      reworks: 0,
      ...facts,
    });
    const events = [
      step('w1', '2026-12-01T08:00:00Z', { step: 'raised', repeatOfId: 'w-earlier' }),
      step('w2', '2026-12-01T09:00:00Z', { step: 'overdue', stage: 'arrival' }),
      step('w3', '2026-12-01T10:00:00Z', { step: 'arrived', late: true }),
      step('w4', '2026-12-01T12:00:00Z', { step: 'completed' }),
      step('w5', '2026-12-01T13:00:00Z', { step: 'rework', rating: 2, reworks: 1 }),
      step('w6', '2026-12-01T15:00:00Z', { step: 'completed', late: true, reworks: 1 }),
      step('w7', '2026-12-01T16:00:00Z', { step: 'confirmed', rating: 4, reworks: 1 }),
    ];
    const row = deriveFacts('g1', 'work-order:w', [...events].reverse());
    expect(row).toMatchObject({
      number: 'WO-SHM01-20261201-0001',
      propertyId: 'sh-mall',
      status: 'work_order',
      receivedAt: new Date('2026-12-01T08:00:00Z'),
    });
    expect(row.workOrder).toEqual({
      complaintId: '',
      arrivedLate: true,
      completedLate: true,
      reworks: 1,
      confirmed: true,
      rating: 4,
      repeat: true,
    });
    // Before its confirmation: not confirmed, no rating.
    expect(deriveFacts('g1', 'work-order:w', events.slice(0, 5)).workOrder).toMatchObject({
      confirmed: false,
      rating: 0,
    });
    // A complaint's row has none.
    expect(deriveFacts('g1', 'c1', []).workOrder).toBeUndefined();
  });
});
