import type { Category, Channel, ComplainantType, Severity } from '@complaints/domain';

/** What a registration says, as the rules see it (SPEC §2). */
export interface RegistrationFacts {
  channel: Channel;
  description: string;
  demand: string;
  location: string;
  complainantType: ComplainantType;
  /** The complainant is an anchor store or brand (主力店 / 品牌方). */
  anchorTenant: boolean;
  /** The partner's category: it wins over keyword rules (see `classify`). */
  categoryHint?: Category;
  /** The partner's severity: a floor that rules may raise, never lower. */
  severityHint?: Severity;
  /** People complaining together with the complainant (the complainant not counted). */
  coComplainantCount: number;
}

export interface ClassificationContext {
  /** Earlier complaints by the same complainant about the same matter within the repeat window (computed by the caller). */
  repeatCount: number;
}

export interface FiredRule {
  /** Stable identifier, e.g. `keyword:leak`, `channel:government_referral`, `loss-amount`. */
  id: string;
  /** What fired and what it did, for staff reading the decision, e.g. `description mentions 漏水 → facilities_equipment, at least important`. */
  description: string;
}

export interface Classification {
  category: Category;
  severity: Severity;
  /** In the order they were applied. */
  firedRules: FiredRule[];
}

/**
 * Fires when any keyword occurs in the description, demand or location. A keyword with
 * Chinese (or other CJK) characters matches anywhere in the text, because Chinese is
 * written without spaces; any other keyword matches whole words only, and a keyword of
 * several words ("power cut") matches those words in a row. Matching ignores case and
 * full-width / half-width differences. There is no stemming: list the forms to match
 * ("leak", "leaks", "leaking").
 */
export interface KeywordRule {
  /** Unique within the rule set; shown in decisions, e.g. `keyword:leak`. */
  id: string;
  /** What the rule is about, e.g. "water leaks (SPEC §3: important)". */
  description: string;
  keywords: string[];
  /** The category this rule suggests; the first firing rule with a category wins. */
  category?: Category;
  /** The least severity a complaint this rule fires on has. */
  minSeverity?: Severity;
}

/**
 * A group's classification rules (SPEC §3): plain JSON, stored per group and validated by
 * `ruleSetSchema`. A `null` setting switches that rule off.
 */
export interface RuleSet {
  /** In priority order: when several suggest a category, the first one wins. */
  keywordRules: KeywordRule[];
  /** The least severity of a complaint arriving through a channel, e.g. government referral → major. */
  channelSeverities: Partial<Record<Channel, Severity>>;
  /** The least severity of a complaint of a category (applied to the category finally chosen). */
  categorySeverities: Partial<Record<Category, Severity>>;
  /** An amount of money (CNY) in the text at or above this makes the complaint major ("serious economic loss"). */
  lossThresholdCny: number | null;
  /**
   * The least severity of any complaint by an anchor tenant at registration. SPEC §3's
   * "responsible complaint from an anchor tenant → major" needs the liability, known only
   * after investigation: see `severityForLiability`.
   */
  anchorTenantSeverity: Severity | null;
  /** Earlier complaints about the same matter: from `raiseOneLevelFrom` one level up, from `majorFrom` major ("after repeated reports"). */
  repeats: { raiseOneLevelFrom: number; majorFrom: number } | null;
  /** Complainants in all (the complainant plus co-complainants) that make a collective complaint, which is major. */
  collectiveMinComplainants: number | null;
}
