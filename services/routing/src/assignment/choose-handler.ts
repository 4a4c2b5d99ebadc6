import type { RoleLevel } from '@complaints/domain';

export interface StaffCandidate {
  id: string;
  name: string;
  roleLevel: RoleLevel;
  departmentId: string;
  propertyIds: string[];
  onDuty: boolean;
}

/**
 * The handler (SPEC §2): the on-duty member of the department with the fewest open
 * complaints; ties go to the lower id so that replicas choose alike.
 */
export function chooseHandler(
  staff: StaffCandidate[],
  departmentId: string,
  openCount: (staffId: string) => number,
): StaffCandidate | undefined {
  return staff
    .filter((member) => member.onDuty && member.departmentId === departmentId)
    .map((member) => ({ member, load: openCount(member.id) }))
    .sort((a, b) => a.load - b.load || a.member.id.localeCompare(b.member.id))[0]?.member;
}

/** The property head of a property (on duty first): owner of its major complaints from the start. */
export function propertyHeadOf(staff: StaffCandidate[], propertyId: string): StaffCandidate | undefined {
  return staff
    .filter((member) => member.roleLevel === 'property_head' && member.propertyIds.includes(propertyId))
    .sort((a, b) => Number(b.onDuty) - Number(a.onDuty) || a.id.localeCompare(b.id))[0];
}
