import { departmentOutside, directoryWithin, staffOutside } from './property-admin';
import { managesKey } from '../api-keys/key-scope';
import type { PartnerCaller } from '../auth/caller';

const within = new Set(['sh-tower']);

describe('what an admin key limited to properties administers', () => {
  it('sees its properties, their regions, departments and staff in the directory', () => {
    const directory = {
      regions: [{ id: 'east' }, { id: 'south' }],
      properties: [
        { id: 'sh-mall', regionId: 'east' },
        { id: 'sh-tower', regionId: 'east' },
        { id: 'gz-estate', regionId: 'south' },
      ],
      departments: [{ propertyId: 'sh-mall' }, { propertyId: 'sh-tower' }],
      staff: [{ propertyIds: ['sh-mall'] }, { propertyIds: ['sh-tower'] }, { propertyIds: ['sh-mall', 'sh-tower'] }],
    };
    expect(directoryWithin(directory, within)).toEqual({
      regions: [{ id: 'east' }],
      properties: [{ id: 'sh-tower', regionId: 'east' }],
      departments: [{ propertyId: 'sh-tower' }],
      staff: [{ propertyIds: ['sh-tower'] }, { propertyIds: ['sh-mall', 'sh-tower'] }],
    });
  });

  it('writes staff of its properties up to property head, never above or elsewhere, before or after', () => {
    const member = (roleLevel: string, propertyIds: string[], regionId = '') => ({ roleLevel, propertyIds, regionId });
    expect(staffOutside(within, member('property_head', ['sh-tower']))).toBeUndefined();
    expect(staffOutside(within, member('manager', ['sh-tower']), member('frontline', ['sh-tower']))).toBeUndefined();
    expect(staffOutside(within, member('regional_gm', ['sh-tower']))).toMatch(/above property head/);
    expect(staffOutside(within, member('manager', ['sh-tower'], 'east'))).toMatch(/above property head/);
    expect(staffOutside(within, member('manager', ['sh-tower', 'sh-mall']))).toMatch(/outside/);
    expect(staffOutside(within, member('manager', []))).toMatch(/outside/);
    expect(staffOutside(within, member('manager', ['sh-tower']), member('manager', ['sh-mall']))).toMatch(
      /as stored works outside/,
    );
    expect(staffOutside(within, member('manager', ['sh-tower']), member('group_hq', ['sh-tower']))).toMatch(
      /as stored has a role above/,
    );
  });

  it('writes departments of its properties only, before and after', () => {
    expect(departmentOutside(within, { propertyId: 'sh-tower' })).toBeUndefined();
    expect(departmentOutside(within, { propertyId: 'sh-mall' })).toMatch(/outside/);
    expect(departmentOutside(within, { propertyId: 'sh-tower' }, { propertyId: 'sh-mall' })).toMatch(/as stored/);
  });

  it('manages keys limited to some of its properties; a group-wide admin every key', () => {
    const limited: PartnerCaller = {
      kind: 'partner',
      groupId: 'g',
      keyId: 'k',
      keyName: 'k',
      propertyIds: ['sh-tower'],
      admin: true,
      actsFor: null,
    };
    expect(managesKey(limited, { propertyIds: ['sh-tower'] })).toBe(true);
    expect(managesKey(limited, { propertyIds: ['sh-tower', 'sh-mall'] })).toBe(false);
    expect(managesKey(limited, { propertyIds: null })).toBe(false);
    expect(managesKey({ ...limited, propertyIds: null }, { propertyIds: null })).toBe(true);
  });
});
