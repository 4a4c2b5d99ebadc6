import type { Caller } from '../auth/caller';
import type { StaffDirectory } from '../auth/staff-directory';
import { ForbiddenError, ValidationProblem } from '../problems/errors';
import { actingRefusal, type ActingKind } from './acting-for-staff';

/**
 * The staff member a request acts as: a signed-in staff member only as themselves; a partner names
 * one, within what its key was given (acting-for-staff.ts). Unknown staff are left to the service
 * that owns the action to name (400).
 */
export async function actingStaffOf(
  directory: StaffDirectory,
  caller: Caller,
  named: string | undefined,
  what: { kind: ActingKind; propertyId: string },
): Promise<string> {
  if (caller.kind === 'staff') {
    if (named !== undefined && named !== caller.staffId) throw new ForbiddenError('staff act only as themselves');
    return caller.staffId;
  }
  if (named === undefined) throw new ValidationProblem([{ name: 'staffId', reason: 'is required with an API key' }]);
  const staff = await directory.staff(caller.groupId, named);
  if (staff) {
    const refusal = actingRefusal(
      caller,
      { name: staff.record.name, roleLevel: staff.roleLevel, propertyIds: staff.record.propertyIds },
      what,
    );
    if (refusal) throw new ForbiddenError(refusal);
  }
  return named;
}
