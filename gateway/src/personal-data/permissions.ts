import type { v1 } from '@complaints/contracts';
import type { Caller } from '../auth/caller';

/*
 * Who may see and erase complainants' personal data (SPEC §9). One function per question, so
 * that the staff-identity work can route each into the permission policy module in one place.
 * For now partner keys are the only callers, and only a group's admin keys may.
 */

/** Whether the caller may read this complaint's name, contact and unit in the clear (with a reason, logged). */
export function mayRevealPersonalData(
  caller: Caller,
  complaint: Pick<v1.Complaint, 'groupId' | 'propertyId'>,
): boolean {
  return caller.admin && complaint.groupId === caller.groupId;
}

/**
 * Whether the caller may read the access log (调阅记录) of its group. The log spans every property,
 * so an admin key limited to some properties may not.
 */
export function mayAudit(caller: Caller): boolean {
  return caller.admin && caller.propertyIds === null;
}

/**
 * Whether the caller may request the erasure of a complainant's data and read the receipts. A
 * complainant's complaints may be at any property of the group: a group-wide admin key only.
 */
export function mayErase(caller: Caller): boolean {
  return caller.admin && caller.propertyIds === null;
}
