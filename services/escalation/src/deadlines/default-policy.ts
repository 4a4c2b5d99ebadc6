import type { Severity } from '@complaints/domain';

// Pure, deterministic deadline arithmetic: runs inside the workflow sandbox (no I/O, no Node built-ins).

const HOUR_MS = 60 * 60 * 1000;

/** SPEC §5, first reply: general 1 hour, important 3 hours, major 24 hours (calendar time). */
export const FIRST_REPLY_MS: Record<Severity, number> = {
  general: 1 * HOUR_MS,
  important: 3 * HOUR_MS,
  major: 24 * HOUR_MS,
};

export function firstReplyDueAt(receivedAt: Date, severity: Severity): Date {
  return new Date(receivedAt.getTime() + FIRST_REPLY_MS[severity]);
}
