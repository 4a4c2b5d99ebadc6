import { z } from 'zod';
import { CATEGORIES, CHANNELS, category, channel, severity } from '@complaints/domain';
import { DEFAULT_RULES } from './default-rules';
import { isMatchableKeyword } from './text-matching';
import type { KeywordRule, RuleSet } from './types';

const unknownKeys =
  (what: string, allowed: readonly string[]) =>
  (issue: { code?: string; keys?: string[] }): string | undefined =>
    issue.code === 'unrecognized_keys'
      ? `unknown ${what} ${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')}: use ${allowed.join(', ')}`
      : undefined;

const keyword = z
  .string()
  .trim()
  .min(1, 'a keyword cannot be empty')
  .max(100, 'a keyword has at most 100 characters')
  .refine(
    (k) => k.length === 0 || isMatchableKeyword(k),
    'a keyword needs a letter, digit or Chinese character; punctuation alone never matches',
  );

const keywordRule = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9:._-]{0,63}$/, 'an id is 1–64 lower-case letters, digits and : . _ -, e.g. keyword:leak'),
    description: z
      .string()
      .trim()
      .min(1, 'say what the rule is about; staff read it in every decision')
      .max(200, 'a description has at most 200 characters'),
    keywords: z
      .array(keyword)
      .min(1, 'list at least one keyword')
      .max(200, 'a rule has at most 200 keywords: split it into several rules'),
    category: category.optional(),
    minSeverity: severity.optional(),
  })
  .refine((rule) => rule.category !== undefined || rule.minSeverity !== undefined, {
    message: 'a keyword rule must set a category, a minSeverity or both, or it changes nothing',
    path: ['category'],
  });

const keywordRules = z
  .array(keywordRule)
  .max(500, 'at most 500 keyword rules')
  .superRefine((rules, ctx) => {
    const firstIndex = new Map<string, number>();
    rules.forEach((rule, index) => {
      const first = firstIndex.get(rule.id);
      if (first === undefined) firstIndex.set(rule.id, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `duplicate rule id "${rule.id}": keywordRules[${first}] already uses it`,
        });
    });
  });

const count = (what: string, min: number) =>
  z.number().int(`${what} is a whole number`).min(min, `${what} is at least ${min}`);

const repeats = z
  .strictObject({
    raiseOneLevelFrom: count('raiseOneLevelFrom', 1),
    majorFrom: count('majorFrom', 1),
  })
  .refine((r) => r.majorFrom >= r.raiseOneLevelFrom, {
    message: 'majorFrom must be at least raiseOneLevelFrom',
    path: ['majorFrom'],
  });

// Every field defaults, so a rule set stored before a field existed still parses (and gets the default).
const copyOf =
  <T>(value: T) =>
  (): T =>
    structuredClone(value);

/**
 * A group's rule set as it arrives through the admin API or comes back from MongoDB.
 * Unknown fields are refused, so a misspelt `minSeverty` is reported rather than ignored.
 */
export const ruleSetSchema: z.ZodType<RuleSet> = z.strictObject({
  keywordRules: keywordRules.default(copyOf<KeywordRule[]>(DEFAULT_RULES.keywordRules)),
  channelSeverities: z
    .partialRecord(channel, severity, { error: unknownKeys('channel', CHANNELS) })
    .default(copyOf(DEFAULT_RULES.channelSeverities)),
  categorySeverities: z
    .partialRecord(category, severity, { error: unknownKeys('category', CATEGORIES) })
    .default(copyOf(DEFAULT_RULES.categorySeverities)),
  lossThresholdCny: z
    .number()
    .positive('lossThresholdCny is an amount in CNY above 0, or null to switch the rule off')
    .max(1e12, 'lossThresholdCny is at most 1e12')
    .nullable()
    .default(DEFAULT_RULES.lossThresholdCny),
  anchorTenantSeverity: severity.nullable().default(DEFAULT_RULES.anchorTenantSeverity),
  repeats: repeats.nullable().default(copyOf(DEFAULT_RULES.repeats)),
  collectiveMinComplainants: count('collectiveMinComplainants', 2)
    .nullable()
    .default(DEFAULT_RULES.collectiveMinComplainants),
});
