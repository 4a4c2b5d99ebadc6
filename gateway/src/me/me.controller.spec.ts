import type { v1 } from '@complaints/contracts';
import type { StaffDirectory } from '../auth/staff-directory';
import type { PartnerCaller, StaffCaller } from '../auth/caller';
import { MeController } from './me.controller';

// The demo group's shape, small: sh-mall and sh-tower in region east, gz-estate in region south.
const directory = {
  regions: [
    { id: 'east', groupId: 'demo-group', name: 'East' },
    { id: 'south', groupId: 'demo-group', name: 'South' },
  ],
  properties: [
    { id: 'sh-mall', regionId: 'east', name: 'Mall' },
    { id: 'sh-tower', regionId: 'east', name: 'Tower' },
    { id: 'gz-estate', regionId: 'south', name: 'Estate' },
  ],
  departments: [{ id: 'sh-mall-cs', propertyId: 'sh-mall', name: 'Customer service', kind: 'customer_service' }],
  staff: [
    {
      id: 's-li-na',
      name: 'Li Na',
      roleLevel: 'frontline',
      departmentId: 'sh-mall-cs',
      propertyIds: ['sh-mall'],
      regionId: '',
      language: 'zh-CN',
    },
    {
      id: 's-chen-chen',
      name: 'Chen Chen',
      roleLevel: 'frontline',
      departmentId: '',
      propertyIds: ['sh-tower'],
      regionId: '',
      language: 'zh-CN',
    },
    {
      id: 's-liu-yang',
      name: 'Liu Yang',
      roleLevel: 'property_head',
      departmentId: '',
      propertyIds: ['sh-mall'],
      regionId: '',
      language: 'zh-CN',
    },
  ],
} as unknown as v1.ListDirectoryResponse;

const controller = new MeController({ of: () => Promise.resolve(directory) } as unknown as StaffDirectory);

const staff = (staffId: string, roleLevel: StaffCaller['roleLevel']): StaffCaller => ({
  kind: 'staff',
  groupId: 'demo-group',
  staffId,
  name: staffId,
  roleLevel,
  propertyIds: ['sh-mall'],
  regionId: '',
  departmentKind: roleLevel === 'frontline' ? 'customer_service' : '',
});
const key = (propertyIds: string[] | null, admin: boolean): PartnerCaller => ({
  kind: 'partner',
  groupId: 'demo-group',
  keyId: 'k1',
  keyName: 'call centre',
  propertyIds,
  admin,
  actsFor: null,
});

describe('GET /v1/me', () => {
  it('describes a property head: their property to see and report on, nothing to administer', async () => {
    const me = await controller.me(staff('s-liu-yang', 'property_head'), {});
    expect(me.staff).toMatchObject({
      id: 's-liu-yang',
      roleLevel: 'property_head',
      properties: [{ id: 'sh-mall', name: 'Mall' }],
    });
    expect(me.allowed).toEqual(['view']);
    expect(me.scopeProperties.map((property) => property.id)).toEqual(['sh-mall']);
    expect(me.reportScopes).toEqual([{ scope: 'property:sh-mall', name: 'Mall' }]);
  });

  it('names the department and keeps reports from frontline staff', async () => {
    const me = await controller.me(staff('s-li-na', 'frontline'), {});
    expect(me.staff?.department).toEqual({ id: 'sh-mall-cs', name: 'Customer service', kind: 'customer_service' });
    expect(me.reportScopes).toEqual([]);
  });

  it('refuses staff acting as someone else', async () => {
    await expect(controller.me(staff('s-li-na', 'frontline'), { actingAs: 's-liu-yang' })).rejects.toThrow(
      /themselves/,
    );
  });

  it('describes a key limited to a property: its property by name, reports there only, and the staff it acts for', async () => {
    const limited = {
      ...key(['sh-tower'], false),
      actsFor: { propertyIds: null, maxRoleLevel: 'frontline' as const, mayApprove: false, mayClose: false },
    };
    // Only staff it was given: of its property, up to frontline.
    await expect(controller.me(limited, { actingAs: 's-li-na' })).rejects.toThrow(/works elsewhere/);
    await expect(controller.me(key(['sh-tower'], false), { actingAs: 's-chen-chen' })).rejects.toThrow(
      /acts for no staff/,
    );
    const me = await controller.me(limited, { actingAs: 's-chen-chen' });
    expect(me.apiKey).toEqual({
      id: 'k1',
      name: 'call centre',
      properties: [{ id: 'sh-tower', name: 'Tower' }],
      admin: false,
    });
    expect(me.staff?.id).toBe('s-chen-chen');
    // It exports one property at a time, never the whole group: reports show under reportScopes only.
    expect(me.allowed).toEqual(['view']);
    expect(me.scopeProperties.map((property) => property.id)).toEqual(['sh-tower']);
    expect(me.reportScopes).toEqual([{ scope: 'property:sh-tower', name: 'Tower' }]);
  });

  it('gives a group-wide admin key everything, widest report scope first; an unknown staff member is 404', async () => {
    const me = await controller.me(key(null, true), {});
    expect(me.staff).toBeNull();
    expect(me.allowed).toEqual(expect.arrayContaining(['manage_master_data', 'manage_api_keys', 'audit_access_log']));
    expect(me.reportScopes.map((scope) => scope.scope)).toEqual([
      'group',
      'region:east',
      'region:south',
      'property:sh-mall',
      'property:sh-tower',
      'property:gz-estate',
    ]);
    await expect(controller.me(key(null, true), { actingAs: 's-nobody' })).rejects.toThrow(/not found/);
  });
});
