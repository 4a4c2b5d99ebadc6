import { planImport, type Directory } from './import-directory';

const now = new Date('2026-12-06T08:00:00Z');
const current: Directory = {
  regions: [{ id: 'east', groupId: 'g', name: '华东' }],
  properties: [
    {
      id: 'sh-mall',
      groupId: 'g',
      regionId: 'east',
      name: '浦江商业广场',
      kind: 'mall',
      code: 'SHM01',
      timeZone: 'Asia/Shanghai',
      inactive: false,
      deactivatedAt: '',
    },
  ],
  departments: [
    {
      id: 'sh-eng',
      groupId: 'g',
      propertyId: 'sh-mall',
      name: '工程部',
      kind: 'engineering',
      inactive: false,
      deactivatedAt: '',
    },
  ],
  staff: [
    {
      id: 's-1',
      groupId: 'g',
      name: '王磊',
      roleLevel: 'frontline',
      departmentId: 'sh-eng',
      propertyIds: ['sh-mall'],
      regionId: '',
      onDuty: true,
      email: '',
      mobile: '',
      wechatOpenId: '',
      language: 'zh-CN',
      inactive: false,
      deactivatedAt: '',
      trades: [],
    },
  ],
};

describe('planning a directory import', () => {
  it('finds every problem, by row and field, and plans no write while there is one', () => {
    const plan = planImport(
      'g',
      [
        {
          row: 2,
          type: 'property',
          fields: { id: 'sh-tower', regionId: 'west', name: '大厦', kind: 'office_tower', code: 'SHM01' },
        },
        { row: 3, type: 'staff', fields: { id: 's-2', name: '', roleLevel: 'boss', propertyIds: ['nowhere'] } },
        { row: 4, type: 'region', fields: { id: 'north', name: '华北' } },
        { row: 5, type: 'region', fields: { id: 'north', name: '华北区' } },
        { row: 6, type: 'office', fields: {} },
      ],
      current,
      now,
    );
    expect(plan.problems.map((problem) => [problem.row, problem.field])).toEqual([
      [2, 'regionId'],
      [2, 'code'],
      [3, 'name'],
      [3, 'roleLevel'],
      [5, 'id'],
      [6, 'type'],
    ]);
  });

  it('creates, updates and leaves alone; a row made inactive is dated and listed to hand its work on', () => {
    const plan = planImport(
      'g',
      [
        { row: 2, type: 'region', fields: { id: 'east', name: '华东' } },
        { row: 3, type: 'region', fields: { id: 'north', name: '华北' } },
        {
          row: 4,
          type: 'property',
          fields: { id: 'tj-mall', regionId: 'north', name: '海河', kind: 'mall', code: 'TJM01' },
        },
        { row: 5, type: 'staff', fields: { ...current.staff[0], inactive: true } },
        { row: 6, type: 'department', fields: { ...current.departments[0], inactive: true } },
      ],
      current,
      now,
    );
    expect(plan.problems).toEqual([]);
    expect([plan.created, plan.updated, plan.unchanged]).toEqual([2, 2, 1]);
    expect(plan.writes.map((write) => `${write.type}:${write.entry.id}`)).toEqual([
      'region:north',
      'property:tj-mall',
      'department:sh-eng',
      'staff:s-1',
    ]);
    expect(plan.writes.find((write) => write.entry.id === 's-1')?.entry).toMatchObject({
      inactive: true,
      deactivatedAt: now.toISOString(),
    });
    expect(plan.deactivatedStaffIds).toEqual(['s-1']);
    expect(plan.deactivatedDepartmentIds).toEqual(['sh-eng']);
  });
});
