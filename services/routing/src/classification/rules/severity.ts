import { SEVERITIES, type Liability, type Severity } from '@complaints/domain';

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** The higher of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return rank(a) >= rank(b) ? a : b;
}

/** `levels` steps up (default one); never lowers, and stops at major. */
export function raiseSeverity(s: Severity, levels = 1): Severity {
  const steps = Number.isFinite(levels) ? Math.max(0, Math.trunc(levels)) : 0;
  return SEVERITIES[Math.min(rank(s) + steps, SEVERITIES.length - 1)];
}

/**
 * Severity once the liability is known: a responsible complaint (责任投诉) from an anchor
 * tenant is major (SPEC §3). Registration cannot know the liability, so `classify` only
 * makes anchor tenants important; the investigation's finding applies this. Never lowers.
 */
export function severityForLiability(
  current: Severity,
  facts: { anchorTenant: boolean; liability?: Liability | '' },
): Severity {
  return facts.anchorTenant && facts.liability === 'responsible' ? 'major' : current;
}
