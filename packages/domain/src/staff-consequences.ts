import { z } from 'zod';
import { ROLE_LEVELS, type RoleLevel } from './vocabulary';

// Rewards and penalties decided after a complaint about a staff member (奖惩: the seeds' half-yearly
// evaluation of staff, 纪律处分, and 处罚直接责任者 in proportion to the loss). Who may decide a
// measure is a level of the ladder: a heavier measure needs a higher level, and nobody decides on
// a colleague at their own level or above.

export const CONSEQUENCE_KINDS = ['reward', 'penalty'] as const;
export type ConsequenceKind = (typeof CONSEQUENCE_KINDS)[number];

/** Each measure, what it is, and the least level that may decide it. */
export const CONSEQUENCE_MEASURES = {
  commendation: { kind: 'reward', least: 'supervisor' },
  bonus: { kind: 'reward', least: 'manager' },
  training: { kind: 'penalty', least: 'supervisor' },
  verbal_warning: { kind: 'penalty', least: 'supervisor' },
  written_warning: { kind: 'penalty', least: 'manager' },
  performance_deduction: { kind: 'penalty', least: 'manager' },
  demerit: { kind: 'penalty', least: 'property_head' },
  dismissal: { kind: 'penalty', least: 'property_head' },
} as const satisfies Record<string, { kind: ConsequenceKind; least: RoleLevel }>;
export type ConsequenceMeasure = keyof typeof CONSEQUENCE_MEASURES;
export const CONSEQUENCE_MEASURE_NAMES = Object.keys(CONSEQUENCE_MEASURES) as ConsequenceMeasure[];

/** Measures that are an amount of money (a bonus paid, a part of the performance pay withheld). */
export const MONEY_MEASURES: readonly ConsequenceMeasure[] = ['bonus', 'performance_deduction'];

export const staffConsequence = z.strictObject({
  staffId: z.string().trim().min(1).max(64).describe('the staff member it is decided for (directory id)'),
  measure: z.enum(CONSEQUENCE_MEASURE_NAMES as [ConsequenceMeasure, ...ConsequenceMeasure[]]),
  amount: z
    .string()
    .regex(/^\d{1,9}(\.\d{1,2})?$/, 'an amount in yuan such as 200 or 150.50')
    .optional()
    .describe('yuan, for a bonus or a performance deduction'),
  reason: z.string().trim().min(1).max(2000).describe('why: recorded on the timeline'),
});
export type StaffConsequenceInput = z.output<typeof staffConsequence>;

const rank = (level: RoleLevel) => ROLE_LEVELS.indexOf(level);

/**
 * Why `decider` may not decide `measure` for a colleague at `subject`'s level, or null when they
 * may: at least the measure's level, and above the colleague.
 */
export function consequenceRefusal(measure: ConsequenceMeasure, decider: RoleLevel, subject: RoleLevel): string | null {
  const least = CONSEQUENCE_MEASURES[measure].least;
  if (rank(decider) < rank(least)) return `${measure} is decided at ${least} level or above, not ${decider}`;
  if (rank(decider) <= rank(subject)) return `a ${subject} is rewarded or penalised by a higher level than ${decider}`;
  return null;
}

/** Why the amount does not fit the measure, or null. */
export function consequenceAmountProblem(measure: ConsequenceMeasure, amount: string | undefined): string | null {
  const money = MONEY_MEASURES.includes(measure);
  if (money && !amount) return `is required for ${measure}`;
  if (!money && amount) return `is only for ${MONEY_MEASURES.join(' and ')}`;
  if (money && Number(amount) <= 0) return 'must be more than 0';
  return null;
}
