import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import type { Caller } from '../auth/caller';
import { atLeast } from './policy';

/**
 * What an admin API key limited to some properties may administer: those properties, their
 * departments, and their staff up to property head. Anything reaching further (another property,
 * a region, staff with a regional or group-wide role) needs an admin key of the whole group.
 * Pure: the directory controller reads the directory and asks these.
 */

/** The properties the caller administers alone; null when nothing limits it here (the guard judged it). */
export function administeredProperties(caller: Caller): ReadonlySet<string> | null {
  return caller.kind === 'partner' && caller.propertyIds !== null ? new Set(caller.propertyIds) : null;
}

export interface DirectoryEntries<R, P, D, S> {
  regions: R[];
  properties: P[];
  departments: D[];
  staff: S[];
}

/** The part of the directory a key limited to `within` administers: its properties and their people. */
export function directoryWithin<
  R extends { id: string },
  P extends { id: string; regionId: string },
  D extends { propertyId: string },
  S extends { propertyIds: string[] },
>(directory: DirectoryEntries<R, P, D, S>, within: ReadonlySet<string>): DirectoryEntries<R, P, D, S> {
  const properties = directory.properties.filter((property) => within.has(property.id));
  const regions = new Set(properties.map((property) => property.regionId));
  return {
    regions: directory.regions.filter((region) => regions.has(region.id)),
    properties,
    departments: directory.departments.filter((department) => within.has(department.propertyId)),
    staff: directory.staff.filter((member) => member.propertyIds.some((id) => within.has(id))),
  };
}

interface StaffGrant {
  roleLevel: string;
  propertyIds: string[];
  regionId: string;
}

/** Why the key may not write this staff member (as given, and as stored before if any); undefined: it may. */
export function staffOutside(within: ReadonlySet<string>, next: StaffGrant, stored?: StaffGrant): string | undefined {
  for (const [member, what] of [
    [next, 'the staff member as given'],
    [stored, 'the staff member as stored'],
  ] as const) {
    if (!member) continue;
    if (member.propertyIds.length === 0 || member.propertyIds.some((id) => !within.has(id))) {
      return `${what} works outside this API key's properties`;
    }
    if (member.regionId !== '' || !isRoleLevel(member.roleLevel) || atLeast(member.roleLevel, 'regional_gm')) {
      return `${what} has a role above property head: that needs an admin API key of the whole group`;
    }
  }
  return undefined;
}

/** Why the key may not write this department; undefined: it may. */
export function departmentOutside(
  within: ReadonlySet<string>,
  next: { propertyId: string },
  stored?: { propertyId: string },
): string | undefined {
  if (!within.has(next.propertyId)) return "the department belongs to a property outside this API key's properties";
  if (stored && !within.has(stored.propertyId)) {
    return "the department as stored belongs to a property outside this API key's properties";
  }
  return undefined;
}

function isRoleLevel(level: string): level is RoleLevel {
  return (ROLE_LEVELS as readonly string[]).includes(level);
}
