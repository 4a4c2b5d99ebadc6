import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { actingRefusal } from '../access/acting-for-staff';
import type { Caller } from '../auth/caller';
import type { StaffDirectory } from '../auth/staff-directory';
import { ForbiddenError, ValidationProblem } from '../problems/errors';
import type { ListComplaintsQuery } from './register-complaint.body';

/** What the queue parameters of `GET /v1/complaints` add to the list request. */
export interface QueueFilter {
  mineOf: string;
  approvalLevels: string[];
  departmentIds: string[];
  sort: 'received' | 'deadline';
}

/** The staff member a queue is for: who signed in, or whom the API key acts for (`actingAs`). */
interface QueueOwner {
  staffId: string;
  roleLevel: RoleLevel;
  departmentId: string;
}

/**
 * My queue (`assignedTo`), my approvals (`awaitingMyApproval`) and my team (`team`), decided
 * from a staff member's id, role level and department. A queue is sorted by the nearest deadline
 * unless `sort` says otherwise. Whatever is asked, the caller's own scope still applies
 * (access/policy.ts listScope): a queue never shows what the caller could not list.
 */
export async function queueFilterOf(
  caller: Caller,
  query: Pick<ListComplaintsQuery, 'assignedTo' | 'awaitingMyApproval' | 'team' | 'actingAs' | 'sort'>,
  directory: StaffDirectory,
): Promise<QueueFilter> {
  const wantsOwner = query.assignedTo === 'me' || query.awaitingMyApproval === 'true' || query.team === 'true';
  const owner = wantsOwner ? await queueOwnerOf(caller, query.actingAs, directory) : undefined;
  const mineOf = query.assignedTo === 'me' ? (owner?.staffId ?? '') : (query.assignedTo ?? '');
  // A higher level may decide what a lower one may.
  const approvalLevels =
    owner && query.awaitingMyApproval === 'true' ? ROLE_LEVELS.slice(0, ROLE_LEVELS.indexOf(owner.roleLevel) + 1) : [];
  let departmentIds: string[] = [];
  if (owner && query.team === 'true') {
    if (owner.roleLevel === 'frontline') {
      throw new ValidationProblem([{ name: 'team', reason: 'frontline staff lead no team' }]);
    }
    // Supervisors and managers lead their department (the handlers in it); above that, everyone within their scope.
    if (owner.roleLevel === 'supervisor' || owner.roleLevel === 'manager') departmentIds = [owner.departmentId];
  }
  const queue = mineOf !== '' || query.awaitingMyApproval === 'true' || query.team === 'true';
  return { mineOf, approvalLevels, departmentIds, sort: query.sort ?? (queue ? 'deadline' : 'received') };
}

async function queueOwnerOf(
  caller: Caller,
  actingAs: string | undefined,
  directory: StaffDirectory,
): Promise<QueueOwner> {
  if (caller.kind === 'staff') {
    if (actingAs && actingAs !== caller.staffId)
      throw new ForbiddenError('staff act as themselves: actingAs is for API keys');
    const staff = await directory.staff(caller.groupId, caller.staffId);
    return { staffId: caller.staffId, roleLevel: caller.roleLevel, departmentId: staff?.record.departmentId ?? '' };
  }
  if (!actingAs) {
    throw new ValidationProblem([
      {
        name: 'actingAs',
        reason: 'an API key names the staff member its queue is for (assignedTo=me, awaitingMyApproval, team)',
      },
    ]);
  }
  const staff = await directory.staff(caller.groupId, actingAs);
  if (!staff) throw new ValidationProblem([{ name: 'actingAs', reason: 'is not a staff member of this group' }]);
  const refusal = actingRefusal(
    caller,
    { name: staff.record.name, roleLevel: staff.roleLevel, propertyIds: staff.record.propertyIds },
    { kind: 'act' },
  );
  if (refusal) throw new ForbiddenError(refusal);
  return { staffId: staff.record.id, roleLevel: staff.roleLevel, departmentId: staff.record.departmentId };
}
