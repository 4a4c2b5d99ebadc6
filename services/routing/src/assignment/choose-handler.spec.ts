import { chooseHandler, propertyHeadOf, type StaffCandidate } from './choose-handler';

const member = (id: string, overrides: Partial<StaffCandidate> = {}): StaffCandidate => ({
  id,
  name: id,
  roleLevel: 'frontline',
  departmentId: 'mall-engineering',
  propertyIds: ['mall'],
  onDuty: true,
  ...overrides,
});

describe('handler choice', () => {
  const loads: Record<string, number> = { a: 3, b: 1, c: 1, d: 0 };
  const load = (id: string) => loads[id] ?? 0;

  it('takes the on-duty member of the department with the fewest open complaints', () => {
    const staff = [
      member('a'),
      member('b'),
      member('d', { onDuty: false }),
      member('e', { departmentId: 'mall-security' }),
    ];
    expect(chooseHandler(staff, 'mall-engineering', load)?.id).toBe('b');
  });

  it('breaks ties by id, so every replica chooses the same person', () => {
    expect(chooseHandler([member('c'), member('b')], 'mall-engineering', load)?.id).toBe('b');
  });

  it('finds nobody when the department has nobody on duty', () => {
    expect(chooseHandler([member('a', { onDuty: false })], 'mall-engineering', load)).toBeUndefined();
  });

  it("finds the property's head, preferring one on duty", () => {
    const staff = [
      member('h1', { roleLevel: 'property_head', onDuty: false }),
      member('h2', { roleLevel: 'property_head' }),
      member('h3', { roleLevel: 'property_head', propertyIds: ['tower'] }),
    ];
    expect(propertyHeadOf(staff, 'mall')?.id).toBe('h2');
    expect(propertyHeadOf(staff, 'estate')).toBeUndefined();
  });
});
