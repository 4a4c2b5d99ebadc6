import type { Category, Severity } from '@complaints/domain';
import { classify } from './classify';
import { DEFAULT_RULES } from './default-rules';
import type { RegistrationFacts } from './types';

const facts = (description: string, overrides: Partial<RegistrationFacts> = {}): RegistrationFacts => ({
  channel: 'phone',
  description,
  demand: '',
  location: '',
  complainantType: 'consumer',
  anchorTenant: false,
  coComplainantCount: 0,
  ...overrides,
});

const classified = (description: string) => classify(facts(description), DEFAULT_RULES, { repeatCount: 0 });
const firedIds = (description: string) => classified(description).firedRules.map((rule) => rule.id);

interface Case {
  rule: string;
  text: string;
  category: Category;
  severity: Severity;
}

// Each default rule, by one of its Chinese and one of its English keywords, alone in a sentence.
const cases: Case[] = [
  { rule: 'keyword:injury', text: '小孩在扶手边摔伤了', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:injury', text: '地面湿滑导致顾客受伤', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:injury', text: '宠物狗伤人', category: 'safety_security', severity: 'major' },
  {
    rule: 'keyword:injury',
    text: 'My son was injured by a falling sign',
    category: 'safety_security',
    severity: 'major',
  },
  { rule: 'keyword:injury', text: 'A serious injury at the entrance', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:fire', text: '地下室起火了', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:fire', text: '配电箱冒烟', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:fire', text: '楼下餐厅着火，差点火灾', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:fire', text: 'There was a fire in the food court', category: 'safety_security', severity: 'major' },
  { rule: 'keyword:trapped-in-lift', text: '3号梯困梯半小时', category: 'facilities_equipment', severity: 'major' },
  {
    rule: 'keyword:trapped-in-lift',
    text: 'We were trapped in the lift for an hour',
    category: 'facilities_equipment',
    severity: 'major',
  },
  { rule: 'keyword:media', text: '不解决就找媒体曝光', category: 'other', severity: 'major' },
  { rule: 'keyword:media', text: '已经发了微博和抖音', category: 'other', severity: 'major' },
  { rule: 'keyword:media', text: '记者明天来采访', category: 'other', severity: 'major' },
  { rule: 'keyword:media', text: 'I will go to the media', category: 'other', severity: 'major' },
  { rule: 'keyword:media', text: 'A journalist called me', category: 'other', severity: 'major' },
  { rule: 'keyword:tenant-leaving', text: '再这样我们就撤铺', category: 'other', severity: 'major' },
  { rule: 'keyword:tenant-leaving', text: '品牌方考虑退租', category: 'other', severity: 'major' },
  { rule: 'keyword:tenant-leaving', text: '总部要求撤店', category: 'other', severity: 'major' },
  { rule: 'keyword:tenant-leaving', text: 'We will terminate the lease', category: 'other', severity: 'major' },
  { rule: 'keyword:hazard', text: '楼梯扶手松动有安全隐患', category: 'safety_security', severity: 'important' },
  { rule: 'keyword:hazard', text: 'The railing is dangerous', category: 'safety_security', severity: 'important' },
  { rule: 'keyword:theft', text: '我的电动车被盗', category: 'safety_security', severity: 'important' },
  { rule: 'keyword:theft', text: '手机在商场被人偷了', category: 'safety_security', severity: 'important' },
  { rule: 'keyword:theft', text: 'My bike was stolen', category: 'safety_security', severity: 'important' },
  { rule: 'keyword:theft', text: 'Theft in the car park again', category: 'safety_security', severity: 'important' },
  { rule: 'keyword:lift', text: '2号楼电梯停运', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:lift', text: 'The lift has stopped', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:lift', text: 'Both elevators are down', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:leak', text: '天花板漏水', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:leak', text: '墙面渗水发霉', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:leak', text: 'The roof is leaking', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:leak', text: 'A leak above my desk', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:crack', text: '外墙出现裂缝', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:crack', text: '地砖开裂', category: 'facilities_equipment', severity: 'important' },
  {
    rule: 'keyword:crack',
    text: 'There are cracks in the wall',
    category: 'facilities_equipment',
    severity: 'important',
  },
  { rule: 'keyword:power-outage', text: '整层停电三小时', category: 'facilities_equipment', severity: 'important' },
  { rule: 'keyword:power-outage', text: 'Another power cut', category: 'facilities_equipment', severity: 'important' },
  {
    rule: 'keyword:power-outage',
    text: 'A blackout all evening',
    category: 'facilities_equipment',
    severity: 'important',
  },
  { rule: 'keyword:water-outage', text: '小区又停水了', category: 'facilities_equipment', severity: 'important' },
  {
    rule: 'keyword:water-outage',
    text: 'Water outage since noon',
    category: 'facilities_equipment',
    severity: 'important',
  },
  { rule: 'keyword:overcharge', text: '物业乱收费', category: 'price_charges', severity: 'important' },
  { rule: 'keyword:overcharge', text: '收银台多收费', category: 'price_charges', severity: 'important' },
  { rule: 'keyword:overcharge', text: 'I was overcharged', category: 'price_charges', severity: 'important' },
  {
    rule: 'keyword:overcharge',
    text: 'An unauthorised charge on my bill',
    category: 'price_charges',
    severity: 'important',
  },
  { rule: 'keyword:rude-staff', text: '保安态度恶劣', category: 'service_quality', severity: 'important' },
  { rule: 'keyword:rude-staff', text: '前台骂人', category: 'service_quality', severity: 'important' },
  { rule: 'keyword:rude-staff', text: 'The receptionist was rude', category: 'service_quality', severity: 'important' },
  { rule: 'keyword:rude-staff', text: 'Bad attitude at the desk', category: 'service_quality', severity: 'important' },
  { rule: 'keyword:goods-quality', text: '买到假货', category: 'goods_quality', severity: 'general' },
  { rule: 'keyword:goods-quality', text: 'They sold me a fake bag', category: 'goods_quality', severity: 'general' },
  { rule: 'keyword:noise', text: '楼上装修噪音太大', category: 'environment_public_area', severity: 'general' },
  { rule: 'keyword:noise', text: 'Constant noise at night', category: 'environment_public_area', severity: 'general' },
  { rule: 'keyword:dirty', text: '门口垃圾没人清', category: 'environment_public_area', severity: 'general' },
  { rule: 'keyword:dirty', text: '公共区域卫生很差', category: 'environment_public_area', severity: 'general' },
  { rule: 'keyword:dirty', text: 'The corridor is dirty', category: 'environment_public_area', severity: 'general' },
  { rule: 'keyword:parking', text: '停车难，找不到车位', category: 'facilities_equipment', severity: 'general' },
  { rule: 'keyword:parking', text: 'Parking is a nightmare', category: 'facilities_equipment', severity: 'general' },
  { rule: 'keyword:contract', text: '没有按合同提供服务', category: 'contract', severity: 'general' },
  { rule: 'keyword:contract', text: 'This is not in our contract', category: 'contract', severity: 'general' },
  { rule: 'keyword:repair', text: '报修三天没人来', category: 'repair', severity: 'general' },
  { rule: 'keyword:repair', text: '门禁坏了请维修', category: 'repair', severity: 'general' },
  { rule: 'keyword:repair', text: 'Please repair the door', category: 'repair', severity: 'general' },
  { rule: 'keyword:suggestion', text: '建议增加儿童座椅', category: 'suggestion', severity: 'general' },
  { rule: 'keyword:suggestion', text: 'A suggestion: more benches', category: 'suggestion', severity: 'general' },
];

describe('the default rules', () => {
  it.each(cases)('$rule: "$text" → $category, $severity', ({ rule, text, category, severity }) => {
    const result = classified(text);
    expect(result.firedRules.map((fired) => fired.id)).toContain(rule);
    expect(result.category).toBe(category);
    expect(result.severity).toBe(severity);
  });

  it('has a case above for every default keyword rule', () => {
    const covered = new Set(cases.map((c) => c.rule));
    expect(DEFAULT_RULES.keywordRules.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('covers the keywords SPEC §3 names', () => {
    const keywordsOf = (id: string) => DEFAULT_RULES.keywordRules.find((rule) => rule.id === id)?.keywords ?? [];
    expect(keywordsOf('keyword:injury')).toEqual(expect.arrayContaining(['injury', '受伤', '伤人', '摔伤']));
    expect(keywordsOf('keyword:media')).toEqual(
      expect.arrayContaining(['media', 'journalist', '媒体', '记者', '曝光', '微博', '抖音']),
    );
    expect(keywordsOf('keyword:fire')).toEqual(expect.arrayContaining(['fire', '火灾', '着火', '起火', '冒烟']));
    expect(keywordsOf('keyword:leak')).toEqual(expect.arrayContaining(['leak', 'leaking', '漏水', '渗水']));
    expect(keywordsOf('keyword:lift')).toEqual(expect.arrayContaining(['lift', 'elevator', '电梯']));
    expect(keywordsOf('keyword:trapped-in-lift')).toContain('困梯');
    expect(keywordsOf('keyword:power-outage')).toEqual(expect.arrayContaining(['power cut', 'blackout', '停电']));
    expect(keywordsOf('keyword:water-outage')).toEqual(expect.arrayContaining(['water outage', '停水']));
    expect(keywordsOf('keyword:crack')).toEqual(expect.arrayContaining(['crack', '裂缝', '开裂']));
    expect(keywordsOf('keyword:rude-staff')).toEqual(expect.arrayContaining(['rude', 'attitude', '态度', '骂人']));
    expect(keywordsOf('keyword:overcharge')).toEqual(
      expect.arrayContaining(['overcharge', 'unauthorised charge', '乱收费', '多收费']),
    );
    expect(keywordsOf('keyword:tenant-leaving')).toEqual(expect.arrayContaining(['撤铺', '退租', '撤店']));
    expect(keywordsOf('keyword:theft')).toEqual(expect.arrayContaining(['theft', '被盗']));
    expect(keywordsOf('keyword:noise')).toEqual(expect.arrayContaining(['noise', '噪音']));
    expect(keywordsOf('keyword:dirty')).toEqual(expect.arrayContaining(['dirty', '垃圾', '卫生']));
    expect(keywordsOf('keyword:parking')).toEqual(expect.arrayContaining(['parking', '停车']));
    expect(keywordsOf('keyword:repair')).toEqual(expect.arrayContaining(['repair', '维修', '报修']));
    expect(keywordsOf('keyword:suggestion')).toEqual(expect.arrayContaining(['suggestion', '建议']));
  });

  it('does not fire on words that merely contain a keyword', () => {
    expect(firedIds('What an uplifting atmosphere')).not.toContain('keyword:lift');
    expect(firedIds('He was fired last week')).not.toContain('keyword:fire');
    expect(firedIds('A crackling radio')).not.toContain('keyword:crack');
    expect(firedIds('A bleak afternoon')).not.toContain('keyword:leak');
  });

  it('does not take 偷懒 (slacking) or 偷偷 (secretly) for theft', () => {
    expect(firedIds('保安上班偷懒')).not.toContain('keyword:theft');
    expect(firedIds('偷偷涨价')).not.toContain('keyword:theft');
  });

  it('puts the specific fault before the catch-all repair: a repair request about a leak is a leak', () => {
    const result = classified('请尽快维修，厨房漏水');
    expect(result.category).toBe('facilities_equipment');
    expect(firedIds('请尽快维修，厨房漏水')).toEqual(['keyword:leak', 'keyword:repair']);
  });

  it('sends parking fees to charges, not to the car park', () => {
    expect(classified('停车场乱收费').category).toBe('price_charges');
  });

  it('leaves a complaint that no rule recognises as other and general', () => {
    expect(classified('咨询一下营业时间')).toEqual({
      category: 'other',
      severity: 'general',
      firedRules: [{ id: 'category:default', description: 'no hint and no keyword rule names a category → other' }],
    });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_RULES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULES.keywordRules[0].keywords)).toBe(true);
  });
});
