export { classify } from './classify';
export { DEFAULT_RULES } from './default-rules';
export { findCnyAmounts, parseChineseNumeral, type MoneyAmount } from './money';
export { ruleSetSchema } from './rule-set.schema';
export { maxSeverity, raiseSeverity, severityForLiability } from './severity';
export type {
  Classification,
  ClassificationContext,
  FiredRule,
  KeywordRule,
  RegistrationFacts,
  RuleSet,
} from './types';
