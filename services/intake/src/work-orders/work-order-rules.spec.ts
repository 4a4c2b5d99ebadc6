import {
  chooseAssignee,
  formatWorkOrderNumber,
  repeatOf,
  stepRefusal,
  unitKey,
  type Candidate,
} from './work-order-rules';

const member = (id: string, overrides: Partial<Candidate> = {}): Candidate => ({
  id,
  name: id,
  propertyIds: ['sh-mall'],
  trades: [],
  onDuty: true,
  inactive: false,
  departmentKind: 'engineering',
  ...overrides,
});

describe('work order numbers', () => {
  it('start with WO- so they are never read as a complaint number', () => {
    expect(formatWorkOrderNumber('SHM01', '20261206', 3)).toBe('WO-SHM01-20261206-0003');
    expect(() => formatWorkOrderNumber('SHM01', '20261206', 0)).toThrow(RangeError);
  });
});

describe('the dispatch rule', () => {
  const order = { propertyId: 'sh-mall', trade: 'plumbing' as const };

  it('sends a trade to whoever does it, the least loaded first', () => {
    const staff = [
      member('a', { trades: ['electrical'] }),
      member('b', { trades: ['plumbing'] }),
      member('c', { trades: ['plumbing', 'hvac'] }),
    ];
    const load: Record<string, number> = { b: 2, c: 1 };
    expect(chooseAssignee(staff, order, (id) => load[id] ?? 0)?.id).toBe('c');
    expect(chooseAssignee(staff, order, () => 0)?.id).toBe('b');
  });

  it('skips the off-duty, the deactivated and other properties', () => {
    const staff = [
      member('a', { trades: ['plumbing'], onDuty: false }),
      member('b', { trades: ['plumbing'], inactive: true }),
      member('c', { trades: ['plumbing'], propertyIds: ['gz-estate'] }),
      member('d', { trades: ['plumbing'] }),
    ];
    expect(chooseAssignee(staff, order, () => 0)?.id).toBe('d');
  });

  it('falls back to the engineering department when nobody lists the trade, else nobody', () => {
    const staff = [member('cs', { departmentKind: 'customer_service' }), member('eng')];
    expect(chooseAssignee(staff, order, () => 0)?.id).toBe('eng');
    expect(chooseAssignee([member('cs', { departmentKind: 'customer_service' })], order, () => 0)).toBeUndefined();
  });
});

describe('repeat repairs', () => {
  const at = new Date('2026-12-06T08:00:00Z');
  const days = (n: number) => new Date(at.getTime() - n * 24 * 3_600_000);

  it('finds the latest repair of the unit within 90 days', () => {
    const earlier = [
      { id: '1', number: 'WO-1', raisedAt: days(100) },
      { id: '2', number: 'WO-2', raisedAt: days(80) },
      { id: '3', number: 'WO-3', raisedAt: days(10) },
    ];
    expect(repeatOf(earlier, at)?.number).toBe('WO-3');
    expect(repeatOf(earlier.slice(0, 1), at)).toBeUndefined();
    expect(repeatOf([{ id: '4', number: 'WO-4', raisedAt: days(90) }], at)?.number).toBe('WO-4');
  });

  it('keys a unit by its written form, not its spacing or width', () => {
    expect(unitKey('g', 'p', '３号楼 201', 'plumbing')).toBe(unitKey('g', 'p', '3号楼201', 'plumbing'));
    expect(unitKey('g', 'p', '3-201', 'plumbing')).not.toBe(unitKey('g', 'p', '3-201', 'electrical'));
  });
});

describe('steps', () => {
  it('follow raised → dispatched → arrived → completed → confirmed', () => {
    expect(stepRefusal('raised', 'dispatch')).toBeUndefined();
    expect(stepRefusal('dispatched', 'dispatch')).toBeUndefined();
    expect(stepRefusal('dispatched', 'arrive')).toBeUndefined();
    expect(stepRefusal('arrived', 'complete')).toBeUndefined();
    expect(stepRefusal('completed', 'confirm')).toBeUndefined();
    expect(stepRefusal('raised', 'complete')).toMatch(/raised cannot be completed; it must be arrived/);
    expect(stepRefusal('arrived', 'dispatch')).toMatch(/cannot be dispatched/);
    expect(stepRefusal('confirmed', 'arrive')).toMatch(/cannot be arrived at/);
  });
});
