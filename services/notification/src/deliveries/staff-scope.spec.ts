import type { v1 } from '@complaints/contracts';
import { staffInScope } from './staff-scope';

const member = (id: string, roleLevel: string, propertyIds: string[], regionId = ''): v1.Staff => ({
  id,
  groupId: 'g',
  name: id,
  roleLevel,
  departmentId: '',
  propertyIds,
  onDuty: true,
  regionId,
  email: '',
  mobile: '',
  wechatOpenId: '',
  language: 'zh-CN',
  inactive: false,
  deactivatedAt: '',
  trades: [],
});

describe('who an escalation reaches (SPEC §6)', () => {
  const staff = [
    member('head-a', 'property_head', ['p-a']),
    member('head-b', 'property_head', ['p-b']),
    member('gm-east', 'regional_gm', [], 'east'),
    member('gm-south', 'regional_gm', [], 'south'),
    member('hq', 'group_hq', []),
  ];
  it('tells the property head of the complaint’s property, its region’s GM and group HQ only', () => {
    const reached = staffInScope(staff, ['property_head', 'regional_gm', 'group_hq'], {
      propertyId: 'p-a',
      regionId: 'east',
    });
    expect(reached.map((item) => item.id)).toEqual(['head-a', 'gm-east', 'hq']);
  });
  it('tells nobody of a level the complaint did not reach', () => {
    expect(staffInScope(staff, ['manager'], { propertyId: 'p-a', regionId: 'east' })).toEqual([]);
  });
});
