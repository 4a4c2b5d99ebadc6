import type { PartnerPrincipal, StaffPrincipal } from '../access/policy';
import { decideHandover } from './handover-access';

const mall = { id: 'sh-mall', regionId: 'east' };
const estate = { id: 'gz-estate', regionId: 'south' };
const staff = (roleLevel: StaffPrincipal['roleLevel'], extra: Partial<StaffPrincipal> = {}): StaffPrincipal => ({
  kind: 'staff',
  groupId: 'g',
  staffId: 's',
  roleLevel,
  propertyIds: ['sh-mall'],
  regionId: '',
  departmentKind: 'customer_service',
  ...extra,
});
const key = (propertyIds: string[] | null, admin = true): PartnerPrincipal => ({
  kind: 'partner',
  groupId: 'g',
  keyId: 'k',
  propertyIds,
  admin,
});

describe('who may use a property’s handover book', () => {
  it('lets the desk write and sign at its property, and a supervisor review', () => {
    expect(decideHandover(staff('frontline'), 'write', mall)).toEqual({ outcome: 'allowed' });
    expect(decideHandover(staff('frontline'), 'review', mall)).toMatchObject({ outcome: 'denied' });
    expect(decideHandover(staff('supervisor'), 'review', mall)).toEqual({ outcome: 'allowed' });
  });

  it('hides another property, and a property of another region from a regional GM', () => {
    expect(decideHandover(staff('supervisor'), 'read', estate)).toEqual({ outcome: 'not_visible' });
    const gm = staff('regional_gm', { propertyIds: [], regionId: 'east' });
    expect(decideHandover(gm, 'review', mall)).toEqual({ outcome: 'allowed' });
    expect(decideHandover(gm, 'read', estate)).toEqual({ outcome: 'not_visible' });
    expect(decideHandover(staff('group_hq', { propertyIds: [] }), 'review', estate)).toEqual({ outcome: 'allowed' });
  });

  it('lets keys of the property read only', () => {
    expect(decideHandover(key(null), 'read', estate)).toEqual({ outcome: 'allowed' });
    expect(decideHandover(key(null), 'write', mall)).toMatchObject({ outcome: 'denied' });
    expect(decideHandover(key(['sh-mall']), 'read', estate)).toEqual({ outcome: 'not_visible' });
  });

  it('treats a property the group does not have as missing', () => {
    expect(decideHandover(staff('group_hq'), 'read', undefined)).toEqual({ outcome: 'not_visible' });
  });
});
