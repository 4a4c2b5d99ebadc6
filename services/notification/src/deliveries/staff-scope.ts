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
