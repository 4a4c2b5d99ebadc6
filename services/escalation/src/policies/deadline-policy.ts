import { z } from 'zod';
import { ROLE_LEVELS, SEVERITIES, URGENCIES, type RoleLevel, type Severity, type Urgency } from '@complaints/domain';
import { DurationError, parseDuration, type TimeBasis } from '../deadlines/durations';
import { urgencyLimitsProblem, WORK_ORDER_LIMITS, type UrgencyLimits } from '../work-orders/work-order-times';

/** A duration (ISO-8601, e.g. PT1H, P3D, PT5S) counted in calendar or in working time (SPEC §5). */
export interface TimeLimit {
  duration: string;
  basis: TimeBasis;
}

/** What one severity's complaints must meet, and who acts when they do not (SPEC §5, §6). */
export interface SeverityPolicy {
  firstReply: TimeLimit;
  resolution: TimeLimit;
  /** From resolution to the callback (回访). */
  callback: TimeLimit;
  /**
   * Callback attempts allowed before a complainant nobody reaches may be closed as unreachable
   * (SPEC §5). Absent in policies that lifecycles started before retry plans carry: the default.
   */
  callbackAttempts?: number;
  /** After a failed attempt the next is due this much later, never after callbackBy; absent: the default. */
  callbackRetryAfter?: TimeLimit;
  /** Approves extensions and (important, major) handling plans. */
  approver: RoleLevel;
  /** The share of a deadline after which its reminder goes out (0.8 = at 80%). */
  reminderAt: number;
  /** How often the complainant must hear about progress while the complaint is open; null: no rule. */
  progressUpdateEvery: TimeLimit | null;
  /** A valid complaint open this long becomes major. */
  autoUpgradeAfter: TimeLimit;
  /** The ladder level responsible from receipt. */
  startLevel: RoleLevel;
  /** Levels told at once on receipt (besides the handler and owner). */
  notifyOnReceipt: RoleLevel[];
}

/** The effective policy for one property: every severity, plus the letter rule. */
export interface DeadlinePolicy {
  severities: Record<Severity, SeverityPolicy>;
  /** Letters (and faxes) are answered within this instead of the severity's first reply (SPEC §5: 2 working days). */
  letterFirstReply: TimeLimit;
  /** Repair work orders' arrive-by and complete-by limits by urgency, fixed on each work order as it is raised. */
  workOrders: Record<Urgency, UrgencyLimits>;
}

const calendar = (duration: string): TimeLimit => ({ duration, basis: 'calendar' });
const working = (duration: string): TimeLimit => ({ duration, basis: 'working' });

/** SPEC §5 says failed callbacks are retried; three tries a few hours apart fit its three days. */
export const DEFAULT_CALLBACK_RETRY = { attempts: 3, after: calendar('PT4H') } as const;

/** The callback retry settings of a severity's policy, with the defaults for policies without them. */
export function callbackRetry(policy: SeverityPolicy): { attempts: number; after: TimeLimit } {
  return {
    attempts: policy.callbackAttempts ?? DEFAULT_CALLBACK_RETRY.attempts,
    after: policy.callbackRetryAfter ?? DEFAULT_CALLBACK_RETRY.after,
  };
}

/** SPEC §5, the table. */
export const DEFAULT_POLICY: DeadlinePolicy = {
  severities: {
    general: {
      firstReply: calendar('PT1H'),
      resolution: calendar('P2D'),
      callback: calendar('P3D'),
      callbackAttempts: DEFAULT_CALLBACK_RETRY.attempts,
      callbackRetryAfter: DEFAULT_CALLBACK_RETRY.after,
      approver: 'manager',
      reminderAt: 0.8,
      progressUpdateEvery: null,
      autoUpgradeAfter: calendar('P30D'),
      startLevel: 'frontline',
      notifyOnReceipt: [],
    },
    important: {
      firstReply: calendar('PT3H'),
      resolution: calendar('P3D'),
      callback: calendar('P3D'),
      callbackAttempts: DEFAULT_CALLBACK_RETRY.attempts,
      callbackRetryAfter: DEFAULT_CALLBACK_RETRY.after,
      approver: 'property_head',
      reminderAt: 0.8,
      progressUpdateEvery: null,
      autoUpgradeAfter: calendar('P30D'),
      startLevel: 'frontline',
      notifyOnReceipt: ['manager'],
    },
    major: {
      firstReply: calendar('PT24H'),
      resolution: calendar('P7D'),
      callback: calendar('P3D'),
      callbackAttempts: DEFAULT_CALLBACK_RETRY.attempts,
      callbackRetryAfter: DEFAULT_CALLBACK_RETRY.after,
      approver: 'regional_gm',
      reminderAt: 0.8,
      progressUpdateEvery: calendar('P1D'),
      autoUpgradeAfter: calendar('P30D'),
      startLevel: 'property_head',
      notifyOnReceipt: ['property_head', 'regional_gm'],
    },
  },
  letterFirstReply: working('P2D'),
  workOrders: WORK_ORDER_LIMITS,
};

const isoDuration = z.string().superRefine((value, context) => {
  try {
    parseDuration(value);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
  }
});
const timeLimit = z.strictObject({ duration: isoDuration, basis: z.enum(['calendar', 'working']) });
const roleLevel = z.enum(ROLE_LEVELS);

export const severityPolicySchema = z.strictObject({
  firstReply: timeLimit,
  resolution: timeLimit,
  callback: timeLimit,
  callbackAttempts: z.number().int().min(1).max(10).default(DEFAULT_CALLBACK_RETRY.attempts),
  callbackRetryAfter: timeLimit.default(DEFAULT_CALLBACK_RETRY.after),
  approver: roleLevel,
  reminderAt: z.number().gt(0).lt(1),
  progressUpdateEvery: timeLimit.nullable(),
  autoUpgradeAfter: timeLimit,
  startLevel: roleLevel,
  notifyOnReceipt: z.array(roleLevel),
});

export const urgencyLimitsSchema = z
  .strictObject({ arrive: timeLimit, complete: timeLimit })
  .superRefine((limits, context) => {
    const problem = urgencyLimitsProblem(limits);
    if (problem) context.addIssue({ code: 'custom', path: ['arrive'], message: problem });
  });

/**
 * What a group, region or property sets: any severity, whole (a severity left out comes from
 * the scope above), optionally the letter rule, and any urgency's work-order limits, whole.
 */
export const policyOverrideSchema = z.strictObject({
  severities: z.partialRecord(z.enum(SEVERITIES), severityPolicySchema).default({}),
  letterFirstReply: timeLimit.optional(),
  workOrders: z.partialRecord(z.enum(URGENCIES), urgencyLimitsSchema).optional(),
});
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

/**
 * Most specific wins, severity by severity and urgency by urgency: property over region over
 * group over SPEC §5 (and the shipped work-order limits).
 */
export function effectivePolicy(overrides: (PolicyOverride | undefined)[]): DeadlinePolicy {
  const policy: DeadlinePolicy = structuredClone(DEFAULT_POLICY);
  for (const override of overrides) {
    if (!override) continue;
    for (const severity of SEVERITIES) {
      const entry = override.severities[severity];
      if (entry) policy.severities[severity] = entry;
    }
    if (override.letterFirstReply) policy.letterFirstReply = override.letterFirstReply;
    for (const urgency of URGENCIES) {
      const limits = override.workOrders?.[urgency];
      if (limits) policy.workOrders[urgency] = limits;
    }
  }
  return policy;
}
