import type { v1 } from '@complaints/contracts';

export type StaffMember = v1.Staff;

/**
 * Staff of these levels responsible for a complaint: at its property, in its region for a
 * regional GM, anywhere in the group for group HQ (SPEC §6).
 */
export function staffInScope(
  staff: StaffMember[],
  levels: readonly string[],
  where: { propertyId: string; regionId: string },
): StaffMember[] {
  return staff.filter((member) => {
    if (!levels.includes(member.roleLevel)) return false;
    if (member.roleLevel === 'group_hq') return true;
    if (member.roleLevel === 'regional_gm') return member.regionId !== '' && member.regionId === where.regionId;
    return member.propertyIds.includes(where.propertyId);
  });
}

/**
 * The property's desk, told of a handover to read and sign: its frontline staff and supervisors
 * still with the group, but not the outgoing shift (`exclude`: who wrote the entry and who is
 * named on it), who may not sign it.
 */
export function deskOf(staff: StaffMember[], propertyId: string, exclude: readonly string[]): StaffMember[] {
  return staff.filter(
    (member) =>
      !member.inactive &&
      ['frontline', 'supervisor'].includes(member.roleLevel) &&
      member.propertyIds.includes(propertyId) &&
      !exclude.includes(member.id),
  );
}

/** From the lowest up: the levels that may review a property's ledger and work at the property. */
const REVIEWING_LEVELS = ['supervisor', 'manager', 'property_head'] as const;

/**
 * Who is told a property's ledger day waits for review: the property's supervisors, or where it
 * has none its managers, else its property head. Regional GMs and group HQ may review too (the
 * gateway lets them), but the day is the property's own work.
 */
export function ledgerReviewersOf(staff: StaffMember[], propertyId: string): StaffMember[] {
  for (const level of REVIEWING_LEVELS) {
    const found = staff.filter(
      (member) => !member.inactive && member.roleLevel === level && member.propertyIds.includes(propertyId),
    );
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * Who answers for a property's repairs, told of a work order's missed arrival or completion: the
 * supervisors of its engineering department (工程部, a department of kind `engineering` at the
 * property), or where it has none, its property head.
 */
export function maintenanceSupervisorsOf(
  staff: StaffMember[],
  departments: readonly v1.Department[],
  propertyId: string,
): StaffMember[] {
  const engineering = new Set(
    departments
      .filter((department) => department.kind === 'engineering' && department.propertyId === propertyId)
      .map((department) => department.id),
  );
  const active = staff.filter((member) => !member.inactive && member.propertyIds.includes(propertyId));
  const supervisors = active.filter(
    (member) => member.roleLevel === 'supervisor' && engineering.has(member.departmentId),
  );
  return supervisors.length > 0 ? supervisors : active.filter((member) => member.roleLevel === 'property_head');
}
