import type { v1 } from '@complaints/contracts';

/** Who heads each kind of report scope (SPEC §1 role levels): they receive its scheduled reports. */
export const REPORT_HEADS = { group: 'group_hq', region: 'regional_gm', property: 'property_head' } as const;

/** A report scope as reporting names it: `group`, `region:<id>` or `property:<id>`. */
export function parseReportScope(scope: string): { kind: keyof typeof REPORT_HEADS; id: string } | null {
  if (scope === 'group') return { kind: 'group', id: '' };
  const match = /^(region|property):([^\s:|]{1,100})$/.exec(scope);
  return match ? { kind: match[1] as 'region' | 'property', id: match[2] } : null;
}

/**
 * The heads of a report's scope in the directory, by staff id: group headquarters for the
 * group, the regional GMs of the region, the property heads of the property. With or without
 * an e-mail address: those without one are recorded as not reached.
 */
export function reportRecipients(staff: readonly v1.Staff[], scope: { kind: keyof typeof REPORT_HEADS; id: string }) {
  const level = REPORT_HEADS[scope.kind];
  return staff
    .filter((member) => {
      if (member.roleLevel !== level) return false;
      if (scope.kind === 'region') return member.regionId === scope.id;
      if (scope.kind === 'property') return member.propertyIds.includes(scope.id);
      return true;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
