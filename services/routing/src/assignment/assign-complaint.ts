import { Injectable } from '@nestjs/common';
import type { Category, RoleLevel, Severity } from '@complaints/domain';
import type { v1 } from '@complaints/contracts';
import type { StaffRef } from '../classification/decision.schema';
import { HandlerLoads } from '../keyed/handler-loads';
import { chooseHandler, propertyHeadOf, type StaffCandidate } from './choose-handler';
import { DEFAULT_DEPARTMENT, departmentKindFor, type DepartmentMap } from './department-map';
import { DirectoryClient } from './directory.client';

export interface Assignment {
  department: string;
  departmentId: string;
  handler: StaffRef | null;
  propertyHead: StaffRef | null;
  reasons: string[];
}

const ref = (staff: StaffCandidate | undefined): StaffRef | null => (staff ? { id: staff.id, name: staff.name } : null);

/** Who may be given work: deactivated staff (left the group) never are. */
export function staffCandidates(directory: v1.ListDirectoryResponse): StaffCandidate[] {
  return directory.staff
    .filter((member) => !member.inactive)
    .map((member) => ({
      id: member.id,
      name: member.name,
      roleLevel: member.roleLevel as RoleLevel,
      departmentId: member.departmentId,
      propertyIds: member.propertyIds,
      onDuty: member.onDuty,
    }));
}

/** Department, handler and (for major complaints) property-head owner (SPEC §2, §5). */
@Injectable()
export class AssignComplaint {
  constructor(
    private readonly directory: DirectoryClient,
    private readonly loads: HandlerLoads,
  ) {}

  async choose(
    groupId: string,
    propertyId: string,
    category: Category,
    severity: Severity,
    map: DepartmentMap,
  ): Promise<Assignment> {
    const directory = await this.directory.directory(groupId);
    const wanted = departmentKindFor(map, propertyId, category);
    const atProperty = directory.departments.filter(
      (department) => department.propertyId === propertyId && !department.inactive,
    );
    const department =
      atProperty.find((candidate) => candidate.kind === wanted) ??
      atProperty.find((candidate) => candidate.kind === DEFAULT_DEPARTMENT);
    const reasons = [
      department?.kind === wanted
        ? `department: ${wanted} handles ${category}`
        : `department: ${wanted} not found at ${propertyId}, ${department ? DEFAULT_DEPARTMENT : 'none'} instead`,
    ];
    const staff = staffCandidates(directory);
    const onDuty = staff.filter((candidate) => candidate.departmentId === department?.id && candidate.onDuty);
    const loads = await this.loads.openCounts(
      groupId,
      onDuty.map((member) => member.id),
    );
    const handler = department ? chooseHandler(staff, department.id, (id) => loads.get(id) ?? 0) : undefined;
    reasons.push(
      handler
        ? `handler: ${handler.name}, on duty with ${loads.get(handler.id) ?? 0} open complaint(s)`
        : 'handler: nobody on duty in the department; the first-contact owner keeps it',
    );
    const propertyHead = severity === 'major' ? propertyHeadOf(staff, propertyId) : undefined;
    if (propertyHead) reasons.push(`owner: property head ${propertyHead.name} (major complaint)`);
    return {
      department: department?.kind ?? DEFAULT_DEPARTMENT,
      departmentId: department?.id ?? '',
      handler: ref(handler),
      propertyHead: ref(propertyHead),
      reasons,
    };
  }
}
