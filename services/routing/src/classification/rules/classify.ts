import type { Category, Severity } from '@complaints/domain';
import { findCnyAmounts, type MoneyAmount } from './money';
import { maxSeverity, raiseSeverity } from './severity';
import { findKeyword, searchField, type SearchField } from './text-matching';
import type {
  Classification,
  ClassificationContext,
  FiredRule,
  KeywordRule,
  RegistrationFacts,
  RuleSet,
} from './types';

const cny = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Drops a keyword found inside a longer one of the same rule (隐患 within 安全隐患), so each mention shows once. */
function distinctMentions(found: string[]): string[] {
  const unique = [...new Set(found)];
  return unique.filter((k) => !unique.some((other) => other !== k && other.includes(k)));
}

function mentionsOf(rule: KeywordRule, fields: SearchField[]): string | undefined {
  const mentions = fields.flatMap((field) => {
    const found = distinctMentions(
      rule.keywords.map((k) => findKeyword(field, k)).filter((k): k is string => k !== undefined),
    );
    return found.length > 0 ? [`${field.name} mentions ${found.join(', ')}`] : [];
  });
  return mentions.length > 0 ? mentions.join('; ') : undefined;
}

function largestAmount(fields: SearchField[]): { field: string; amount: MoneyAmount } | undefined {
  let largest: { field: string; amount: MoneyAmount } | undefined;
  for (const field of fields) {
    for (const amount of findCnyAmounts(field.text)) {
      if (!largest || amount.amountCny > largest.amount.amountCny) largest = { field: field.name, amount };
    }
  }
  return largest;
}

/**
 * Category and severity of a registered complaint under a group's rules (SPEC §3). Pure
 * and deterministic: the same facts, rules and context give the same result, in the
 * same order of fired rules, on every replica.
 *
 * Category, first that applies:
 *  1. the partner's category hint (the partner saw the complaint; keywords only guess);
 *  2. the category of the first keyword rule, in rule-set order, that fires and has one;
 *  3. `other`.
 * Keyword rules that fire but lose on category are still recorded, saying so.
 *
 * Severity is the highest of: `general`; the partner's severity hint (a floor: rules
 * raise it, never lower it); every firing keyword rule's minimum; the chosen category's
 * minimum; the channel's minimum; major for a loss at or above the threshold; the anchor
 * tenant minimum; major for a collective complaint; then, last because it is relative,
 * the repeat rule: one level up from `raiseOneLevelFrom` earlier complaints, major from
 * `majorFrom`. Fired rules are listed in that order.
 */
export function classify(facts: RegistrationFacts, rules: RuleSet, context: ClassificationContext): Classification {
  const firedRules: FiredRule[] = [];
  let severity: Severity = 'general';
  const atLeast = (minimum: Severity): void => {
    severity = maxSeverity(severity, minimum);
  };

  if (facts.categoryHint) {
    firedRules.push({ id: 'hint:category', description: `partner hint: category ${facts.categoryHint}` });
  }
  if (facts.severityHint) {
    atLeast(facts.severityHint);
    firedRules.push({ id: 'hint:severity', description: `partner hint: at least ${facts.severityHint}` });
  }

  const fields = [
    searchField('description', facts.description),
    searchField('demand', facts.demand),
    searchField('location', facts.location),
  ];
  let keywordCategory: { category: Category; ruleId: string } | undefined;
  for (const rule of rules.keywordRules) {
    const mentions = mentionsOf(rule, fields);
    if (mentions === undefined) continue;
    const effects: string[] = [];
    let note = '';
    if (rule.category) {
      if (facts.categoryHint === rule.category) {
        effects.push(`${rule.category} (as the partner hint says)`);
      } else if (facts.categoryHint) {
        note = `; category ${rule.category} not applied (the partner hint wins)`;
      } else if (keywordCategory) {
        note = `; category ${rule.category} not applied (${keywordCategory.ruleId} came first)`;
      } else {
        keywordCategory = { category: rule.category, ruleId: rule.id };
        effects.push(rule.category);
      }
    }
    if (rule.minSeverity) {
      atLeast(rule.minSeverity);
      effects.push(`at least ${rule.minSeverity}`);
    }
    firedRules.push({
      id: rule.id,
      description: `${rule.description}: ${mentions} → ${effects.length > 0 ? effects.join(', ') : 'no change'}${note}`,
    });
  }

  const category: Category = facts.categoryHint ?? keywordCategory?.category ?? 'other';
  if (!facts.categoryHint && !keywordCategory) {
    firedRules.push({ id: 'category:default', description: 'no hint and no keyword rule names a category → other' });
  }

  const categoryMinimum = rules.categorySeverities[category];
  if (categoryMinimum) {
    atLeast(categoryMinimum);
    firedRules.push({ id: `category:${category}`, description: `category ${category} → at least ${categoryMinimum}` });
  }

  const channelMinimum = rules.channelSeverities[facts.channel];
  if (channelMinimum) {
    atLeast(channelMinimum);
    firedRules.push({
      id: `channel:${facts.channel}`,
      description: `received through ${facts.channel} → at least ${channelMinimum}`,
    });
  }

  if (rules.lossThresholdCny !== null) {
    const largest = largestAmount(fields);
    if (largest && largest.amount.amountCny >= rules.lossThresholdCny) {
      atLeast('major');
      firedRules.push({
        id: 'loss-amount',
        description:
          `${largest.field} mentions ${largest.amount.text} (${cny.format(largest.amount.amountCny)} CNY), ` +
          `at or above the ${cny.format(rules.lossThresholdCny)} CNY of a serious economic loss → major`,
      });
    }
  }

  if (facts.anchorTenant && rules.anchorTenantSeverity) {
    atLeast(rules.anchorTenantSeverity);
    firedRules.push({
      id: 'anchor-tenant',
      description: `complainant is an anchor tenant → at least ${rules.anchorTenantSeverity} (major once found responsible)`,
    });
  }

  const complainants = facts.coComplainantCount + 1;
  if (rules.collectiveMinComplainants !== null && complainants >= rules.collectiveMinComplainants) {
    atLeast('major');
    firedRules.push({
      id: 'collective',
      description: `collective complaint: ${complainants} complainants (${rules.collectiveMinComplainants} or more) → major`,
    });
  }

  if (rules.repeats && context.repeatCount >= rules.repeats.raiseOneLevelFrom) {
    const earlier = `${context.repeatCount} earlier complaint${context.repeatCount === 1 ? '' : 's'} about the same matter`;
    if (context.repeatCount >= rules.repeats.majorFrom) {
      severity = 'major';
      firedRules.push({ id: 'repeat', description: `${earlier}: not resolved after repeated reports → major` });
    } else {
      const before = severity;
      severity = raiseSeverity(severity);
      firedRules.push({ id: 'repeat', description: `${earlier} → one level up, ${before} → ${severity}` });
    }
  }

  return { category, severity, firedRules };
}
