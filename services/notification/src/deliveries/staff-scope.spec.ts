import type { v1 } from '@complaints/contracts';
import { deskOf, ledgerReviewersOf, maintenanceSupervisorsOf, staffInScope } from './staff-scope';

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

describe('who the handover book reaches', () => {
  const staff = [
    member('li-na', 'frontline', ['p-a']),
    member('wang-lei', 'frontline', ['p-a']),
    member('zhao-min', 'supervisor', ['p-a']),
    member('chen-jie', 'manager', ['p-a']),
    member('sun-li', 'frontline', ['p-b']),
    member('wu-fang', 'property_head', ['p-b']),
    { ...member('left', 'frontline', ['p-a']), inactive: true },
    member('gm-east', 'regional_gm', [], 'east'),
  ];
  const ids = (found: v1.Staff[]) => found.map((one) => one.id);

  it('tells the property’s desk of a handover to sign, but not the shift that wrote it', () => {
    expect(ids(deskOf(staff, 'p-a', ['li-na']))).toEqual(['wang-lei', 'zhao-min']);
    expect(ids(deskOf(staff, 'p-b', []))).toEqual(['sun-li']);
  });

  it('tells the lowest level at the property that may review of a day to review', () => {
    expect(ids(ledgerReviewersOf(staff, 'p-a'))).toEqual(['zhao-min']);
    // No supervisor nor manager at p-b: its property head.
    expect(ids(ledgerReviewersOf(staff, 'p-b'))).toEqual(['wu-fang']);
    expect(ids(ledgerReviewersOf(staff, 'p-c'))).toEqual([]);
  });
});

describe('who answers for a property’s repairs', () => {
  const department = (id: string, propertyId: string, kind: string): v1.Department => ({
    id,
    groupId: 'g',
    propertyId,
    name: id,
    kind,
    inactive: false,
    deactivatedAt: '',
  });
  const departments = [
    department('a-eng', 'p-a', 'engineering'),
    department('a-cs', 'p-a', 'customer_service'),
    department('b-eng', 'p-b', 'engineering'),
  ];
  const inDepartment = (id: string, roleLevel: string, propertyId: string, departmentId: string) => ({
    ...member(id, roleLevel, [propertyId]),
    departmentId,
  });
  const staff = [
    inDepartment('a-eng-sup', 'supervisor', 'p-a', 'a-eng'),
    { ...inDepartment('a-eng-left', 'supervisor', 'p-a', 'a-eng'), inactive: true },
    inDepartment('a-eng-worker', 'frontline', 'p-a', 'a-eng'),
    inDepartment('a-cs-sup', 'supervisor', 'p-a', 'a-cs'),
    inDepartment('a-head', 'property_head', 'p-a', ''),
    inDepartment('b-eng-worker', 'frontline', 'p-b', 'b-eng'),
    // Listed in p-a's engineering department but working at p-b only: not p-b's supervisor.
    inDepartment('stray-sup', 'supervisor', 'p-b', 'a-eng'),
    inDepartment('b-head', 'property_head', 'p-b', ''),
  ];
  it('is the engineering department’s active supervisors, not another department’s or the head', () => {
    expect(maintenanceSupervisorsOf(staff, departments, 'p-a').map((one) => one.id)).toEqual(['a-eng-sup']);
  });
  it('is the property head where engineering has no supervisor', () => {
    expect(maintenanceSupervisorsOf(staff, departments, 'p-b').map((one) => one.id)).toEqual(['b-head']);
    expect(maintenanceSupervisorsOf(staff, departments, 'p-none')).toEqual([]);
  });
});
