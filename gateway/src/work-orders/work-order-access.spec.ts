import type { PartnerPrincipal, StaffPrincipal } from '../access/policy';
import { decideWorkOrder } from './work-order-access';

const staff = (overrides: Partial<StaffPrincipal>): StaffPrincipal => ({
  kind: 'staff',
  groupId: 'g',
  staffId: 's-1',
  roleLevel: 'frontline',
  propertyIds: ['sh-mall'],
  regionId: '',
  departmentKind: 'customer_service',
  ...overrides,
});
const key = (propertyIds: string[] | null): PartnerPrincipal => ({
  kind: 'partner',
  groupId: 'g',
  keyId: 'k',
  propertyIds,
  admin: false,
});
const mall = { propertyId: 'sh-mall', regionId: 'east', assigneeId: '' };
const estate = { propertyId: 'gz-estate', regionId: 'south', assigneeId: '' };

describe('work order access', () => {
  it('hides the work orders of properties the caller does not see', () => {
    expect(decideWorkOrder(staff({}), 'view', estate)).toEqual({ outcome: 'not_visible' });
    expect(decideWorkOrder(key(['sh-mall']), 'work', estate)).toEqual({ outcome: 'not_visible' });
    expect(
      decideWorkOrder(staff({ roleLevel: 'regional_gm', propertyIds: [], regionId: 'east' }), 'view', mall),
    ).toEqual({ outcome: 'allowed' });
  });

  it('lets the desk, engineering, the assignee and property heads work on them, not other departments', () => {
    expect(decideWorkOrder(staff({}), 'work', mall).outcome).toBe('allowed');
    expect(decideWorkOrder(staff({ departmentKind: 'engineering' }), 'work', mall).outcome).toBe('allowed');
    const operations = staff({ departmentKind: 'operations', roleLevel: 'manager' });
    expect(decideWorkOrder(operations, 'view', mall).outcome).toBe('allowed');
    expect(decideWorkOrder(operations, 'work', mall).outcome).toBe('denied');
    expect(decideWorkOrder(operations, 'work', { ...mall, assigneeId: 's-1' }).outcome).toBe('allowed');
    expect(decideWorkOrder(staff({ departmentKind: '', roleLevel: 'property_head' }), 'work', mall).outcome).toBe(
      'allowed',
    );
    expect(decideWorkOrder(key(null), 'work', mall).outcome).toBe('allowed');
  });
});
