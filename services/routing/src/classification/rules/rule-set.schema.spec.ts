import { z } from 'zod';
import { DEFAULT_RULES } from './default-rules';
import { ruleSetSchema } from './rule-set.schema';

/** Every message by the path it is about; several for one path are joined with " | ". */
const messages = (input: unknown): Record<string, string> => {
  const result = ruleSetSchema.safeParse(input);
  const byPath: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) {
    const path = issue.path.join('.');
    byPath[path] = byPath[path] === undefined ? issue.message : `${byPath[path]} | ${issue.message}`;
  }
  return byPath;
};

// A JSON round trip, as the rule set makes through the admin API and MongoDB.
const json = <T>(value: T): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('ruleSetSchema', () => {
  it('accepts the default rules unchanged', () => {
    expect(ruleSetSchema.parse(json(DEFAULT_RULES))).toEqual(DEFAULT_RULES);
  });

  it('fills fields a stored rule set lacks with the defaults', () => {
    const parsed = ruleSetSchema.parse({ collectiveMinComplainants: 3 });
    expect(parsed).toEqual({ ...DEFAULT_RULES, collectiveMinComplainants: 3 });
  });

  it('returns defaults the caller may change without changing DEFAULT_RULES', () => {
    const parsed = ruleSetSchema.parse({});
    parsed.keywordRules[0].keywords.push('extra');
    expect(DEFAULT_RULES.keywordRules[0].keywords).not.toContain('extra');
  });

  it('accepts null to switch a rule off', () => {
    const parsed = ruleSetSchema.parse({
      lossThresholdCny: null,
      anchorTenantSeverity: null,
      repeats: null,
      collectiveMinComplainants: null,
    });
    expect(parsed.lossThresholdCny).toBeNull();
    expect(parsed.repeats).toBeNull();
  });

  it('rejects a broken rule set, naming each field and what is wrong', () => {
    expect(
      messages({
        keywordRules: [
          { id: 'Leak Rule', description: '', keywords: [], category: 'leaks', minSeverity: 'critical' },
          { id: 'keyword:noise', description: 'noise', keywords: ['noise', '  ', '?!'], category: 'other' },
          { id: 'keyword:nothing', description: 'does nothing', keywords: ['x'] },
          { id: 'keyword:typo', description: 'typo', keywords: ['x'], minSeverty: 'major' },
        ],
        channelSeverities: { gov_referral: 'major' },
        categorySeverities: { safety_security: 'urgent' },
        lossThresholdCny: -1,
        repeats: { raiseOneLevelFrom: 2, majorFrom: 1 },
        collectiveMinComplainants: 1.5,
      }),
    ).toEqual({
      'keywordRules.0.id': 'an id is 1–64 lower-case letters, digits and : . _ -, e.g. keyword:leak',
      'keywordRules.0.description': 'say what the rule is about; staff read it in every decision',
      'keywordRules.0.keywords': 'list at least one keyword',
      'keywordRules.0.category':
        'Invalid option: expected one of "service_quality"|"goods_quality"|"price_charges"|"safety_security"|' +
        '"facilities_equipment"|"environment_public_area"|"contract"|"repair"|"suggestion"|"other"',
      'keywordRules.0.minSeverity': 'Invalid option: expected one of "general"|"important"|"major"',
      'keywordRules.1.keywords.1': 'a keyword cannot be empty',
      'keywordRules.1.keywords.2':
        'a keyword needs a letter, digit or Chinese character; punctuation alone never matches',
      'keywordRules.2.category': 'a keyword rule must set a category, a minSeverity or both, or it changes nothing',
      'keywordRules.3': 'Unrecognized key: "minSeverty"',
      'keywordRules.3.category': 'a keyword rule must set a category, a minSeverity or both, or it changes nothing',
      channelSeverities:
        'unknown channel "gov_referral": use phone, walk_in, letter, fax, email, web, app, wechat, social_media, ' +
        'government_referral, internal, suggestion_box',
      'categorySeverities.safety_security': 'Invalid option: expected one of "general"|"important"|"major"',
      lossThresholdCny: 'lossThresholdCny is an amount in CNY above 0, or null to switch the rule off',
      'repeats.majorFrom': 'majorFrom must be at least raiseOneLevelFrom',
      collectiveMinComplainants: 'collectiveMinComplainants is a whole number',
    });
  });

  it('rejects duplicate rule ids, pointing at the second', () => {
    const rule = { id: 'keyword:leak', description: 'leaks', keywords: ['漏水'], minSeverity: 'important' };
    expect(messages({ keywordRules: [rule, { ...rule, keywords: ['leak'] }] })).toEqual({
      'keywordRules.1.id': 'duplicate rule id "keyword:leak": keywordRules[0] already uses it',
    });
  });

  it('rejects unknown categories and fields at the top level', () => {
    expect(messages({ categorySeverities: { weather: 'major' }, rules: [] })).toEqual({
      categorySeverities:
        'unknown category "weather": use service_quality, goods_quality, price_charges, safety_security, ' +
        'facilities_equipment, environment_public_area, contract, repair, suggestion, other',
      '': 'Unrecognized key: "rules"',
    });
  });

  it('reads well as a whole', () => {
    const result = ruleSetSchema.safeParse({ lossThresholdCny: 'ten thousand' });
    expect(result.success).toBe(false);
    if (!result.success) expect(z.prettifyError(result.error)).toContain('→ at lossThresholdCny');
  });
});
