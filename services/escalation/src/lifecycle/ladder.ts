import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';

/** SPEC §6: frontline → supervisor → manager → property head → regional GM → group HQ. */
export function rank(level: RoleLevel): number {
  return ROLE_LEVELS.indexOf(level);
}

export function atLeast(level: RoleLevel, floor: RoleLevel): boolean {
  return rank(level) >= rank(floor);
}

export function higher(a: RoleLevel, b: RoleLevel): RoleLevel {
  return rank(a) >= rank(b) ? a : b;
}

/** One level up; group HQ stays group HQ. */
export function oneUp(level: RoleLevel): RoleLevel {
  return ROLE_LEVELS[Math.min(rank(level) + 1, ROLE_LEVELS.length - 1)];
}

export const TOP_LEVEL: RoleLevel = 'group_hq';
