// The routing rules form's pure parts: the admin API's document (services/routing's RuleSet and
// DepartmentMap) as editable form state and back. Every select's '' stands for "absent" or "off",
// and numbers stay text while typed, so a half-typed value is never turned into something else.
import { CATEGORIES, CHANNELS, type Category, type Channel, type Severity } from '@complaints/domain';

/** services/routing/src/classification/rules/types.ts, as the API sends it. */
export interface KeywordRule {
  id: string;
  description: string;
  keywords: string[];
  category?: Category;
  minSeverity?: Severity;
}

export interface RuleSet {
  keywordRules: KeywordRule[];
  channelSeverities: Partial<Record<Channel, Severity>>;
  categorySeverities: Partial<Record<Category, Severity>>;
  lossThresholdCny: number | null;
  anchorTenantSeverity: Severity | null;
  repeats: { raiseOneLevelFrom: number; majorFrom: number } | null;
  collectiveMinComplainants: number | null;
}

/** Department kinds (e.g. `engineering`) by category: services/routing/src/assignment/department-map.ts. */
export type DepartmentsByCategory = Partial<Record<Category, string>>;

export interface DepartmentMap {
  default: DepartmentsByCategory;
  properties: Record<string, DepartmentsByCategory>;
}

/** The body of `PUT /v1/admin/routing-rules`. */
export interface RoutingSettings {
  rules: RuleSet;
  departments: DepartmentMap;
}

/** `GET /v1/admin/routing-rules`. */
export interface StoredRoutingSettings extends RoutingSettings {
  isDefault: boolean;
}

export interface KeywordRuleState {
  /** Identifies the row to React while its id is being edited or rows move. */
  key: number;
  id: string;
  description: string;
  /** As typed: see `splitKeywords`. */
  keywords: string;
  category: Category | '';
  minSeverity: Severity | '';
}

/** A number that a checkbox may switch off (null); the text is kept while off so switching back restores it. */
export interface OptionalNumber {
  on: boolean;
  value: string;
}

export interface PropertyDepartmentsState {
  propertyId: string;
  /** '' is the group default (the category absent from the property's map). */
  byCategory: Record<Category, string>;
}

export interface RoutingFormState {
  keywordRules: KeywordRuleState[];
  channelSeverities: Record<Channel, Severity | ''>;
  categorySeverities: Record<Category, Severity | ''>;
  lossThresholdCny: OptionalNumber;
  /** '' switches the rule off (null). */
  anchorTenantSeverity: Severity | '';
  repeats: { on: boolean; raiseOneLevelFrom: string; majorFrom: string };
  collectiveMinComplainants: OptionalNumber;
  /** '' leaves the category unmapped: customer service handles it. */
  departmentDefault: Record<Category, string>;
  propertyDepartments: PropertyDepartmentsState[];
}

// Chinese lists are written with 、 or the full-width comma, others with a comma or one a line.
const KEYWORD_SEPARATORS = /[,，、\r\n]+/;

/** The keywords of one text field; empty pieces (a trailing comma, a blank line) are dropped. */
export function splitKeywords(text: string): string[] {
  return text
    .split(KEYWORD_SEPARATORS)
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword !== '');
}

export function joinKeywords(keywords: readonly string[]): string {
  return keywords.join(', ');
}

function byKey<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}

// `value !== ''` does not narrow a generic V | '' (V could itself be '').
function isSet<V extends string>(value: V | ''): value is V {
  return value !== '';
}

/** Only the keys with a value: the API's partial records leave out what is not set. */
function present<K extends string, V extends string>(
  keys: readonly K[],
  values: Record<K, V | ''>,
): Partial<Record<K, V>> {
  const result: Partial<Record<K, V>> = {};
  for (const key of keys) {
    const value: V | '' = values[key];
    if (isSet(value)) result[key] = value;
  }
  return result;
}

function optionalNumber(value: number | null): OptionalNumber {
  return { on: value !== null, value: value === null ? '' : String(value) };
}

// An empty field becomes 0, which the API refuses at that field, rather than null, which would
// quietly switch the rule off.
function numberOf(text: string): number {
  return Number(text.trim());
}

export function keywordRuleState(rule: KeywordRule, key: number): KeywordRuleState {
  return {
    key,
    id: rule.id,
    description: rule.description,
    keywords: joinKeywords(rule.keywords),
    category: rule.category ?? '',
    minSeverity: rule.minSeverity ?? '',
  };
}

export function emptyKeywordRule(key: number): KeywordRuleState {
  return { key, id: '', description: '', keywords: '', category: '', minSeverity: '' };
}

export function propertyDepartmentsState(
  propertyId: string,
  map: DepartmentsByCategory = {},
): PropertyDepartmentsState {
  return { propertyId, byCategory: byKey(CATEGORIES, (category) => map[category] ?? '') };
}

export function formStateOf({ rules, departments }: RoutingSettings): RoutingFormState {
  return {
    keywordRules: rules.keywordRules.map(keywordRuleState),
    channelSeverities: byKey(CHANNELS, (channel) => rules.channelSeverities[channel] ?? ''),
    categorySeverities: byKey(CATEGORIES, (category) => rules.categorySeverities[category] ?? ''),
    lossThresholdCny: optionalNumber(rules.lossThresholdCny),
    anchorTenantSeverity: rules.anchorTenantSeverity ?? '',
    repeats: {
      on: rules.repeats !== null,
      raiseOneLevelFrom: rules.repeats ? String(rules.repeats.raiseOneLevelFrom) : '',
      majorFrom: rules.repeats ? String(rules.repeats.majorFrom) : '',
    },
    collectiveMinComplainants: optionalNumber(rules.collectiveMinComplainants),
    departmentDefault: byKey(CATEGORIES, (category) => departments.default[category] ?? ''),
    propertyDepartments: Object.entries(departments.properties).map(([propertyId, map]) =>
      propertyDepartmentsState(propertyId, map),
    ),
  };
}

export function settingsOf(state: RoutingFormState): RoutingSettings {
  return {
    rules: {
      keywordRules: state.keywordRules.map((rule) => ({
        id: rule.id.trim(),
        description: rule.description,
        keywords: splitKeywords(rule.keywords),
        ...(rule.category !== '' ? { category: rule.category } : {}),
        ...(rule.minSeverity !== '' ? { minSeverity: rule.minSeverity } : {}),
      })),
      channelSeverities: present(CHANNELS, state.channelSeverities),
      categorySeverities: present(CATEGORIES, state.categorySeverities),
      lossThresholdCny: state.lossThresholdCny.on ? numberOf(state.lossThresholdCny.value) : null,
      anchorTenantSeverity: state.anchorTenantSeverity === '' ? null : state.anchorTenantSeverity,
      repeats: state.repeats.on
        ? { raiseOneLevelFrom: numberOf(state.repeats.raiseOneLevelFrom), majorFrom: numberOf(state.repeats.majorFrom) }
        : null,
      collectiveMinComplainants: state.collectiveMinComplainants.on
        ? numberOf(state.collectiveMinComplainants.value)
        : null,
    },
    departments: {
      default: present(CATEGORIES, state.departmentDefault),
      // A property kept with no override left stays in the map: harmless, and what was stored.
      properties: Object.fromEntries(
        state.propertyDepartments.map(({ propertyId, byCategory }) => [propertyId, present(CATEGORIES, byCategory)]),
      ),
    },
  };
}

/** Moves the item at `index` by `by` places; out of range leaves the list as it is. */
export function moved<T>(items: readonly T[], index: number, by: number): T[] {
  const target = index + by;
  const result = [...items];
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return result;
  const [item] = result.splice(index, 1);
  result.splice(target, 0, item);
  return result;
}

/** The next free row key. */
export function nextRuleKey(rules: readonly KeywordRuleState[]): number {
  return rules.reduce((max, rule) => Math.max(max, rule.key), -1) + 1;
}

/** The API's invalidParams names (the body's paths, dot separated) of the fields the form shows. */
export const fieldName = {
  rule: (index: number, field: 'id' | 'description' | 'keywords' | 'category' | 'minSeverity') =>
    `rules.keywordRules.${index}.${field}`,
  keyword: (index: number, keyword: number) => `rules.keywordRules.${index}.keywords.${keyword}`,
  channelSeverity: (channel: Channel) => `rules.channelSeverities.${channel}`,
  categorySeverity: (category: Category) => `rules.categorySeverities.${category}`,
  lossThresholdCny: 'rules.lossThresholdCny',
  anchorTenantSeverity: 'rules.anchorTenantSeverity',
  raiseOneLevelFrom: 'rules.repeats.raiseOneLevelFrom',
  majorFrom: 'rules.repeats.majorFrom',
  collectiveMinComplainants: 'rules.collectiveMinComplainants',
  departmentDefault: (category: Category) => `departments.default.${category}`,
  propertyDepartment: (propertyId: string, category: Category) => `departments.properties.${propertyId}.${category}`,
} as const;

/**
 * Every name `fieldName` gives for this state, for ProblemAlert to leave out. A refused keyword is
 * named by its place in the list that was sent, which the form may since have changed.
 */
export function fieldNames(state: RoutingFormState, sent?: RoutingSettings): string[] {
  const rules = state.keywordRules.flatMap((rule, index) => {
    const keywords = Math.max(
      splitKeywords(rule.keywords).length,
      sent?.rules.keywordRules[index]?.keywords.length ?? 0,
    );
    return [
      ...(['id', 'description', 'keywords', 'category', 'minSeverity'] as const).map((field) =>
        fieldName.rule(index, field),
      ),
      ...Array.from({ length: keywords }, (_, keyword) => fieldName.keyword(index, keyword)),
    ];
  });
  return [
    ...rules,
    ...CHANNELS.map(fieldName.channelSeverity),
    ...CATEGORIES.map(fieldName.categorySeverity),
    fieldName.lossThresholdCny,
    fieldName.anchorTenantSeverity,
    fieldName.raiseOneLevelFrom,
    fieldName.majorFrom,
    fieldName.collectiveMinComplainants,
    ...CATEGORIES.map(fieldName.departmentDefault),
    ...state.propertyDepartments.flatMap(({ propertyId }) =>
      CATEGORIES.map((category) => fieldName.propertyDepartment(propertyId, category)),
    ),
  ];
}
