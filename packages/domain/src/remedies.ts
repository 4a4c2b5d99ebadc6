import { z } from 'zod';
import { ROLE_LEVELS, type RoleLevel } from './vocabulary';

// What a resolved complaint gave the complainant (退货、换货、维修、折价、赔偿), why it happened, and
// what is done so it does not happen again (纠正与预防措施). Shared by the lifecycle's resolve
// action, the corrective actions and the reports.

/** The remedy given to the complainant; `apology` and `none` carry no amount. */
export const REMEDY_KINDS = ['refund', 'exchange', 'repair', 'discount', 'compensation', 'apology', 'none'] as const;
export type RemedyKind = (typeof REMEDY_KINDS)[number];
/** Remedies that cost the group money: they need a responsible, valid complaint and may carry an amount. */
export const MONEY_REMEDIES: readonly RemedyKind[] = ['refund', 'exchange', 'repair', 'discount', 'compensation'];
/** Remedies whose amount is the point of them: refused without one. */
export const AMOUNT_REQUIRED: readonly RemedyKind[] = ['refund', 'discount', 'compensation'];

/** Where the cause lay, for the reports; the text says what exactly. */
export const CAUSE_CATEGORIES = [
  'staff_conduct',
  'service_process',
  'facility_equipment',
  'product_quality',
  'contractor',
  'communication',
  'external',
  'other',
] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];

/**
 * An amount of money in the group's currency (yuan for the groups this is built for), as a
 * decimal string with at most two decimals: "350", "350.5", "350.50". A string, not a JSON
 * number, so no amount is ever rounded on its way.
 */
export const moneyAmount = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'an amount in yuan with at most two decimals, e.g. "350.00"')
  .refine((value) => toCents(value) > 0, 'must be more than 0')
  .describe('in the group’s currency (yuan), at most two decimals, e.g. "350.00"');

/** "350.5" → 35050; amounts are compared and summed in cents. */
export function toCents(amount: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 35050 → "350.50". */
export function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * The most a level may give on its own authority, in yuan (null: no limit). A remedy above it
 * is given by someone higher up the ladder (提交主管领导审批): the one who resolves approves it.
 */
export const REMEDY_AUTHORITY_YUAN: Record<RoleLevel, number | null> = {
  frontline: 200,
  supervisor: 1_000,
  manager: 5_000,
  property_head: 20_000,
  regional_gm: 100_000,
  group_hq: null,
};

/** The lowest ladder level allowed to approve this amount. */
export function levelNeededFor(amount: string): RoleLevel {
  const cents = toCents(amount);
  const level = ROLE_LEVELS.find((candidate) => {
    const limit = REMEDY_AUTHORITY_YUAN[candidate];
    return limit === null || cents <= limit * 100;
  });
  return level ?? 'group_hq';
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const remedySchema = z
  .strictObject({
    kind: z.enum(REMEDY_KINDS),
    amount: moneyAmount.optional(),
    note: text(2000).optional().describe('what exactly: the goods exchanged, the repair done …'),
  })
  .describe('what the complainant was given (退换修赔); the one resolving approves it, within their level’s authority');

export const causeSchema = z
  .strictObject({
    text: text(4000).describe('the cause found by the investigation (原因分析)'),
    category: z.enum(CAUSE_CATEGORIES).optional(),
  })
  .describe('why it happened');

export const correctiveActionSchema = z
  .strictObject({
    description: text(4000).describe('what is to be done so it does not happen again (纠正与预防措施)'),
    ownerId: text(64).describe('the staff member who carries it out'),
    dueAt: z.iso.datetime({ offset: true }).describe('when it is to be done (RFC 3339)'),
  })
  .describe('for a responsible, valid complaint: followed until someone else verifies it');

/**
 * What a resolution may not combine, field by field (a 400 naming the field): money goes only to
 * a complaint the group is responsible for, and only that gets a corrective action; an apology
 * carries no amount and a refund needs one.
 */
export function resolveProblems(params: {
  liability: string;
  validity: string;
  remedy?: z.output<typeof remedySchema>;
  correctiveAction?: z.output<typeof correctiveActionSchema>;
}): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const ours = params.liability === 'responsible' && params.validity === 'valid';
  const remedy = params.remedy;
  if (remedy) {
    const money = MONEY_REMEDIES.includes(remedy.kind);
    if (money && !ours) {
      problems.push({
        path: ['remedy', 'kind'],
        message: `a ${remedy.kind} is given only for a responsible, valid complaint (this one is ${params.liability}, ${params.validity})`,
      });
    }
    if (!money && remedy.amount !== undefined) {
      problems.push({ path: ['remedy', 'amount'], message: `must be left out for ${remedy.kind}` });
    }
    if (AMOUNT_REQUIRED.includes(remedy.kind) && remedy.amount === undefined) {
      problems.push({ path: ['remedy', 'amount'], message: `is required for ${remedy.kind}` });
    }
  }
  if (params.correctiveAction && !ours) {
    problems.push({
      path: ['correctiveAction'],
      message: 'is taken only for a responsible, valid complaint (纠正与预防措施 follow our own fault)',
    });
  }
  return problems;
}
