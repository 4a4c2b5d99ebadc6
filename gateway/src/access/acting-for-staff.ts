import { z } from 'zod';
import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { atLeast } from './policy';

/**
 * Which staff a key may act for, fixed when the key is made: staff working at these properties
 * (null: anywhere in the key's own scope) up to this role level, and whether its actions may
 * approve (plans, extensions) or close complaints.
 */
export const actsFor = z.strictObject({
  propertyIds: z
    .array(z.string().trim().min(1).max(100))
    .min(1)
    .max(10_000)
    .nullable()
    .default(null)
    .describe("Staff of these properties; null: of every property the key sees. Within the key's own properties."),
  maxRoleLevel: z.enum(ROLE_LEVELS).describe('The highest role level of the staff the key acts for.'),
  mayApprove: z.boolean().default(false).describe('Whether it may approve or reject plans and extensions.'),
  mayClose: z.boolean().default(false).describe('Whether it may close complaints.'),
});
export type ActsFor = z.infer<typeof actsFor>;

/** An admin key made without a grant acts for anyone it sees, as it could make itself a key that does. */
const EVERYONE: ActsFor = { propertyIds: null, maxRoleLevel: 'group_hq', mayApprove: true, mayClose: true };

export interface ActingKey {
  admin: boolean;
  /** The key's own scope; null: the group. */
  propertyIds: string[] | null;
  /** null: made without a grant (an admin key then acts for everyone it sees, another key for nobody). */
  actsFor: ActsFor | null;
}

/** What the key may do for staff, or null when it acts for nobody. */
export function grantOf(key: ActingKey): ActsFor | null {
  if (key.actsFor) return key.actsFor;
  return key.admin ? EVERYONE : null;
}

/** What is done: plain work, an approval, or closing. */
export type ActingKind = 'act' | 'approve' | 'close';

/**
 * Why the key may not do this for this staff member (at this complaint's property), or undefined
 * when it may.
 */
export function actingRefusal(
  key: ActingKey,
  staff: { name: string; roleLevel: RoleLevel; propertyIds: string[] },
  what: { kind: ActingKind; propertyId?: string },
): string | undefined {
  const grant = grantOf(key);
  if (!grant) return 'this API key acts for no staff: it was made without actsFor';
  if (!atLeast(grant.maxRoleLevel, staff.roleLevel)) {
    return `this API key acts for staff up to ${grant.maxRoleLevel}; ${staff.name} is ${staff.roleLevel}`;
  }
  const properties = grant.propertyIds ?? key.propertyIds;
  if (properties !== null) {
    if (what.propertyId !== undefined && !properties.includes(what.propertyId)) {
      return `this API key acts for staff of ${properties.join(', ')} only`;
    }
    if (!staff.propertyIds.some((id) => properties.includes(id))) {
      return `this API key acts for staff of ${properties.join(', ')} only; ${staff.name} works elsewhere`;
    }
  }
  if (what.kind === 'approve' && !grant.mayApprove) return 'this API key may not approve or reject';
  if (what.kind === 'close' && !grant.mayClose) return 'this API key may not close complaints';
  return undefined;
}

/**
 * Why a key cannot make a key with this grant: never more than its own (the properties, the
 * level, approving, closing), and within the new key's properties. Undefined when it can.
 */
export function grantRefusal(
  maker: ActingKey | 'staff',
  made: { propertyIds: string[] | null; actsFor: ActsFor | null },
): { name: string; reason: string } | undefined {
  const wanted = made.actsFor;
  if (!wanted) return undefined;
  if (wanted.propertyIds && made.propertyIds && wanted.propertyIds.some((id) => !made.propertyIds?.includes(id))) {
    return { name: 'actsFor.propertyIds', reason: "must be within the key's own propertyIds" };
  }
  if (maker === 'staff') return undefined;
  const own = grantOf(maker);
  if (!own) return { name: 'actsFor', reason: 'the API key that creates it acts for no staff itself' };
  const ownProperties = own.propertyIds ?? maker.propertyIds;
  const wantedProperties = wanted.propertyIds ?? made.propertyIds;
  if (ownProperties && (!wantedProperties || wantedProperties.some((id) => !ownProperties.includes(id)))) {
    return { name: 'actsFor.propertyIds', reason: 'must be within the staff the creating API key acts for' };
  }
  if (!atLeast(own.maxRoleLevel, wanted.maxRoleLevel)) {
    return { name: 'actsFor.maxRoleLevel', reason: `at most ${own.maxRoleLevel}, as the creating API key` };
  }
  if (wanted.mayApprove && !own.mayApprove)
    return { name: 'actsFor.mayApprove', reason: 'the creating API key may not' };
  if (wanted.mayClose && !own.mayClose) return { name: 'actsFor.mayClose', reason: 'the creating API key may not' };
  return undefined;
}
