import { SEVERITIES, URGENCIES, type RoleLevel, type Severity, type Urgency } from '@complaints/domain';

export type Basis = 'calendar' | 'working';

/** A deadline as the API writes it: an ISO-8601 duration counted in calendar or working time. */
export interface TimeLimit {
  duration: string;
  basis: Basis;
}

export interface SeverityPolicy {
  firstReply: TimeLimit;
  resolution: TimeLimit;
  callback: TimeLimit;
  callbackAttempts?: number;
  callbackRetryAfter?: TimeLimit;
  approver: RoleLevel;
  reminderAt: number;
  progressUpdateEvery: TimeLimit | null;
  autoUpgradeAfter: TimeLimit;
  startLevel: RoleLevel;
  notifyOnReceipt: RoleLevel[];
}

/** A repair work order's time to be there and to be done, for one urgency. */
export interface WorkOrderLimits {
  arrive: TimeLimit;
  complete: TimeLimit;
}

/** What one scope sets: any severity, whole, perhaps the letter rule, and any urgency's work-order limits. */
export interface PolicyOverride {
  severities?: Partial<Record<Severity, SeverityPolicy>>;
  letterFirstReply?: TimeLimit;
  workOrders?: Partial<Record<Urgency, WorkOrderLimits>>;
}

export interface PolicyView {
  policy: PolicyOverride | null;
  effective: {
    severities: Record<Severity, SeverityPolicy>;
    letterFirstReply: TimeLimit;
    workOrders: Record<Urgency, WorkOrderLimits>;
  };
}

/**
 * The form: per severity whether this scope sets it (else the scope above decides, shown but
 * not editable) and its values, starting from what applies now.
 */
export interface PolicyFormState {
  severities: Record<Severity, { own: boolean; policy: SeverityPolicy }>;
  letter: { own: boolean; limit: TimeLimit };
  workOrders: Record<Urgency, { own: boolean; limits: WorkOrderLimits }>;
}

export function policyFormState(view: PolicyView): PolicyFormState {
  const severities = Object.fromEntries(
    SEVERITIES.map((severity) => {
      const own = view.policy?.severities?.[severity];
      return [
        severity,
        { own: own !== undefined, policy: structuredClone(own ?? view.effective.severities[severity]) },
      ];
    }),
  ) as PolicyFormState['severities'];
  const letter = view.policy?.letterFirstReply;
  const workOrders = Object.fromEntries(
    URGENCIES.map((urgency) => {
      const own = view.policy?.workOrders?.[urgency];
      return [urgency, { own: own !== undefined, limits: structuredClone(own ?? view.effective.workOrders[urgency]) }];
    }),
  ) as PolicyFormState['workOrders'];
  return {
    severities,
    letter: { own: letter !== undefined, limit: { ...(letter ?? view.effective.letterFirstReply) } },
    workOrders,
  };
}

/** What the scope sets, for PUT: only the severities (and letter rule) it takes as its own. */
export function policyDocument(state: PolicyFormState): PolicyOverride {
  const severities: Partial<Record<Severity, SeverityPolicy>> = {};
  for (const severity of SEVERITIES) {
    const entry = state.severities[severity];
    if (entry.own) severities[severity] = entry.policy;
  }
  const workOrders: Partial<Record<Urgency, WorkOrderLimits>> = {};
  for (const urgency of URGENCIES) {
    const entry = state.workOrders[urgency];
    if (entry.own) workOrders[urgency] = entry.limits;
  }
  return {
    severities,
    ...(state.letter.own ? { letterFirstReply: state.letter.limit } : {}),
    ...(Object.keys(workOrders).length > 0 ? { workOrders } : {}),
  };
}

export type DurationUnit = 'minutes' | 'hours' | 'days';

/**
 * A duration as a number and a unit, the way staff say it ("3 days", "24 hours"); null when it
 * mixes units (PT1H30M) and is edited as written. Days and hours never convert into each other:
 * in working time a day is a business day, not 24 hours.
 */
export function splitDuration(iso: string): { amount: number; unit: DurationUnit } | null {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!match) return null;
  const [, days, hours, minutes] = match;
  const given = [days, hours, minutes].filter((part) => part !== undefined);
  if (given.length !== 1) return null;
  if (days !== undefined) return { amount: Number(days), unit: 'days' };
  if (hours !== undefined) return { amount: Number(hours), unit: 'hours' };
  return { amount: Number(minutes), unit: 'minutes' };
}

/** The ISO-8601 duration of an amount typed in a unit (the API says what is wrong with it). */
export function joinDuration(amount: string, unit: DurationUnit): string {
  const value = amount.trim();
  if (unit === 'days') return `P${value}D`;
  return unit === 'hours' ? `PT${value}H` : `PT${value}M`;
}
