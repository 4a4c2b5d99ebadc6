import { classify } from './classify';
import { DEFAULT_RULES } from './default-rules';
import type { RegistrationFacts, RuleSet } from './types';

const facts = (overrides: Partial<RegistrationFacts> = {}): RegistrationFacts => ({
  channel: 'phone',
  description: '',
  demand: '',
  location: '',
  complainantType: 'consumer',
  anchorTenant: false,
  coComplainantCount: 0,
  ...overrides,
});

const noRepeats = { repeatCount: 0 };
const ids = (result: { firedRules: { id: string }[] }) => result.firedRules.map((rule) => rule.id);
const describedAs = (result: { firedRules: { id: string; description: string }[] }, id: string) =>
  result.firedRules.find((rule) => rule.id === id)?.description;

describe('classify', () => {
  describe('keywords', () => {
    it('searches the description, the demand and the location, and says where it found what', () => {
      const result = classify(
        facts({ description: '墙面有水渍', demand: '请处理漏水', location: 'B1 lift lobby' }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(result.category).toBe('facilities_equipment');
      expect(result.severity).toBe('important');
      expect(result.firedRules).toEqual([
        {
          id: 'keyword:lift',
          description: 'lifts and escalators: location mentions lift → facilities_equipment, at least important',
        },
        {
          id: 'keyword:leak',
          description:
            'water leaks: demand mentions 漏水 → at least important; category facilities_equipment not applied (keyword:lift came first)',
        },
      ]);
    });

    it('shows Chinese keywords as found, and each mention once', () => {
      const result = classify(facts({ description: '业主被困电梯里' }), DEFAULT_RULES, noRepeats);
      expect(describedAs(result, 'keyword:trapped-in-lift')).toBe(
        'people trapped in a lift: description mentions 被困电梯 → facilities_equipment, at least major',
      );
      expect(result.severity).toBe('major');
    });

    it('takes the category of the first firing rule in rule-set order and the highest severity of all', () => {
      const result = classify(facts({ description: '保洁员态度差，还被记者拍到了垃圾堆' }), DEFAULT_RULES, noRepeats);
      expect(ids(result)).toEqual(['keyword:media', 'keyword:rude-staff', 'keyword:dirty']);
      expect(result.category).toBe('service_quality');
      expect(result.severity).toBe('major');
    });

    it('lets a group reorder its rules to change which category wins', () => {
      const [leak, repair] = ['keyword:leak', 'keyword:repair'].map((id) =>
        DEFAULT_RULES.keywordRules.find((rule) => rule.id === id)!,
      );
      const rules: RuleSet = { ...DEFAULT_RULES, keywordRules: [repair, leak] };
      const result = classify(facts({ description: '报修漏水' }), rules, noRepeats);
      expect(result.category).toBe('repair');
      expect(result.severity).toBe('important');
    });

    it('is deterministic', () => {
      const input = facts({ description: '停车场电梯停运，损失3万元，要找媒体曝光', anchorTenant: true });
      expect(classify(input, DEFAULT_RULES, { repeatCount: 1 })).toEqual(
        classify(input, DEFAULT_RULES, { repeatCount: 1 }),
      );
    });
  });

  describe('partner hints', () => {
    it('honours the category hint over keyword categories, and still applies their severities', () => {
      const result = classify(
        facts({ description: '电梯停运', categoryHint: 'service_quality' }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(result.category).toBe('service_quality');
      expect(result.severity).toBe('important');
      expect(result.firedRules).toEqual([
        { id: 'hint:category', description: 'partner hint: category service_quality' },
        {
          id: 'keyword:lift',
          description:
            'lifts and escalators: description mentions 电梯 → at least important; category facilities_equipment not applied (the partner hint wins)',
        },
      ]);
    });

    it('says so when a keyword rule agrees with the hint', () => {
      const result = classify(
        facts({ description: '漏水', categoryHint: 'facilities_equipment' }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(describedAs(result, 'keyword:leak')).toBe(
        'water leaks: description mentions 漏水 → facilities_equipment (as the partner hint says), at least important',
      );
    });

    it('honours the severity hint when no rule says more', () => {
      const result = classify(
        facts({ description: '咨询营业时间', categoryHint: 'other', severityHint: 'important' }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(result).toEqual({
        category: 'other',
        severity: 'important',
        firedRules: [
          { id: 'hint:category', description: 'partner hint: category other' },
          { id: 'hint:severity', description: 'partner hint: at least important' },
        ],
      });
    });

    it('lets rules raise the severity hint', () => {
      const result = classify(facts({ description: '顾客摔伤', severityHint: 'general' }), DEFAULT_RULES, noRepeats);
      expect(result.severity).toBe('major');
    });

    it('never lets rules lower the severity hint', () => {
      const result = classify(facts({ description: '建议增加座椅', severityHint: 'major' }), DEFAULT_RULES, noRepeats);
      expect(result.category).toBe('suggestion');
      expect(result.severity).toBe('major');
    });
  });

  describe('category minimum severity', () => {
    it('makes safety and security at least important, whether from a keyword or a hint', () => {
      const fromHint = classify(facts({ categoryHint: 'safety_security' }), DEFAULT_RULES, noRepeats);
      expect(fromHint.severity).toBe('important');
      expect(describedAs(fromHint, 'category:safety_security')).toBe('category safety_security → at least important');
    });

    it('applies to the category chosen, not to one that lost', () => {
      const result = classify(
        facts({ description: '有安全隐患', categoryHint: 'suggestion' }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(ids(result)).not.toContain('category:safety_security');
    });
  });

  describe('channel', () => {
    it('makes a government referral major', () => {
      const result = classify(
        facts({ channel: 'government_referral', description: '噪音扰民' }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(result.severity).toBe('major');
      expect(result.category).toBe('environment_public_area');
      expect(describedAs(result, 'channel:government_referral')).toBe(
        'received through government_referral → at least major',
      );
    });

    it('leaves other channels alone by default', () => {
      expect(classify(facts({ channel: 'wechat', description: '噪音' }), DEFAULT_RULES, noRepeats).severity).toBe(
        'general',
      );
    });
  });

  describe('loss amount', () => {
    it.each([
      ['装修导致货品损失5万元', 'major'],
      ['损失 20,000 元', 'major'],
      ['要求赔偿¥30000', 'major'],
      ['RMB 15,000 of stock ruined', 'major'],
      ['损失3万', 'major'],
      ['损失1.5万元', 'major'],
      ['损失10,000元', 'major'],
      ['损失9,999元', 'general'],
      ['多收了200元', 'important'],
      ['loss of $2,000', 'general'],
      ['loss of $20,000', 'general'],
      ['商场面积3万平米', 'general'],
    ])('%s → %s', (description, severity) => {
      expect(classify(facts({ description }), DEFAULT_RULES, noRepeats).severity).toBe(severity);
    });

    it('says which amount it read', () => {
      const result = classify(facts({ description: '损失200元', demand: '赔偿5万元' }), DEFAULT_RULES, noRepeats);
      expect(describedAs(result, 'loss-amount')).toBe(
        'demand mentions 5万元 (50,000 CNY), at or above the 10,000 CNY of a serious economic loss → major',
      );
    });

    it('follows the group threshold, and can be switched off', () => {
      const description = '损失5000元';
      expect(classify(facts({ description }), { ...DEFAULT_RULES, lossThresholdCny: 5000 }, noRepeats).severity).toBe(
        'major',
      );
      const off = classify(
        facts({ description: '损失50万元' }),
        { ...DEFAULT_RULES, lossThresholdCny: null },
        noRepeats,
      );
      expect(off.severity).toBe('general');
    });
  });

  describe('anchor tenant', () => {
    it('makes a complaint by an anchor tenant at least important at registration', () => {
      const result = classify(
        facts({ description: '门口垃圾', complainantType: 'tenant', anchorTenant: true }),
        DEFAULT_RULES,
        noRepeats,
      );
      expect(result.severity).toBe('important');
      expect(describedAs(result, 'anchor-tenant')).toBe(
        'complainant is an anchor tenant → at least important (major once found responsible)',
      );
    });

    it('does nothing for other tenants', () => {
      const result = classify(facts({ description: '门口垃圾', complainantType: 'tenant' }), DEFAULT_RULES, noRepeats);
      expect(result.severity).toBe('general');
      expect(ids(result)).not.toContain('anchor-tenant');
    });
  });

  describe('co-complainants', () => {
    it('is not collective with 4 complainants', () => {
      const result = classify(facts({ description: '噪音', coComplainantCount: 3 }), DEFAULT_RULES, noRepeats);
      expect(result.severity).toBe('general');
      expect(ids(result)).not.toContain('collective');
    });

    it('is a collective complaint, major, with 5 complainants', () => {
      const result = classify(facts({ description: '噪音', coComplainantCount: 4 }), DEFAULT_RULES, noRepeats);
      expect(result.severity).toBe('major');
      expect(describedAs(result, 'collective')).toBe('collective complaint: 5 complainants (5 or more) → major');
    });

    it('follows the group threshold', () => {
      const rules = { ...DEFAULT_RULES, collectiveMinComplainants: 3 };
      expect(classify(facts({ coComplainantCount: 2 }), rules, noRepeats).severity).toBe('major');
    });
  });

  describe('repeated complaints', () => {
    const noise = facts({ description: '噪音' });
    const leak = facts({ description: '漏水' });

    it('leaves a first complaint as it is', () => {
      expect(classify(noise, DEFAULT_RULES, { repeatCount: 0 }).severity).toBe('general');
      expect(ids(classify(noise, DEFAULT_RULES, { repeatCount: 0 }))).not.toContain('repeat');
    });

    it('raises a second complaint about the same matter one level', () => {
      const general = classify(noise, DEFAULT_RULES, { repeatCount: 1 });
      expect(general.severity).toBe('important');
      expect(describedAs(general, 'repeat')).toBe(
        '1 earlier complaint about the same matter → one level up, general → important',
      );
      expect(classify(leak, DEFAULT_RULES, { repeatCount: 1 }).severity).toBe('major');
    });

    it('makes a complaint after repeated reports major', () => {
      const result = classify(noise, DEFAULT_RULES, { repeatCount: 2 });
      expect(result.severity).toBe('major');
      expect(describedAs(result, 'repeat')).toBe(
        '2 earlier complaints about the same matter: not resolved after repeated reports → major',
      );
    });

    it('raises from the severity every other rule gave, the hint included', () => {
      const result = classify({ ...noise, severityHint: 'important' }, DEFAULT_RULES, { repeatCount: 1 });
      expect(result.severity).toBe('major');
      expect(ids(result).at(-1)).toBe('repeat');
    });

    it('can be switched off', () => {
      expect(classify(noise, { ...DEFAULT_RULES, repeats: null }, { repeatCount: 5 }).severity).toBe('general');
    });
  });

  it('records every rule that fired in the order applied', () => {
    const result = classify(
      facts({
        channel: 'government_referral',
        description: '电梯困人，损失2万元',
        categoryHint: 'facilities_equipment',
        severityHint: 'important',
        anchorTenant: true,
        complainantType: 'tenant',
        coComplainantCount: 6,
      }),
      DEFAULT_RULES,
      { repeatCount: 1 },
    );
    expect(ids(result)).toEqual([
      'hint:category',
      'hint:severity',
      'keyword:trapped-in-lift',
      'keyword:lift',
      'channel:government_referral',
      'loss-amount',
      'anchor-tenant',
      'collective',
      'repeat',
    ]);
    expect(result.severity).toBe('major');
  });

  it('works with an empty rule set', () => {
    const empty: RuleSet = {
      keywordRules: [],
      channelSeverities: {},
      categorySeverities: {},
      lossThresholdCny: null,
      anchorTenantSeverity: null,
      repeats: null,
      collectiveMinComplainants: null,
    };
    const result = classify(
      facts({ description: '火灾 损失10万元', anchorTenant: true, coComplainantCount: 10 }),
      empty,
      { repeatCount: 3 },
    );
    expect(result).toEqual({
      category: 'other',
      severity: 'general',
      firedRules: [{ id: 'category:default', description: 'no hint and no keyword rule names a category → other' }],
    });
  });
});
