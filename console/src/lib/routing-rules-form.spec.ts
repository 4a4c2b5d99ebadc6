// The shipped defaults come from the routing service itself, so a default added there that the
// form cannot carry fails here rather than being dropped by the first save in the console.
import { DEFAULT_DEPARTMENT_MAP } from '../../../services/routing/src/assignment/department-map';
import { DEFAULT_RULES } from '../../../services/routing/src/classification/rules/default-rules';
import {
  emptyKeywordRule,
  fieldNames,
  formStateOf,
  joinKeywords,
  moved,
  nextRuleKey,
  propertyDepartmentsState,
  settingsOf,
  splitKeywords,
  type RoutingSettings,
} from './routing-rules-form';

const defaults: RoutingSettings = { rules: DEFAULT_RULES, departments: DEFAULT_DEPARTMENT_MAP };

describe('routing rules form', () => {
  it('gives back the default rules and department map unchanged', () => {
    expect(settingsOf(formStateOf(defaults))).toEqual(defaults);
    // Not even a key added with an undefined value: the API refuses unknown shapes.
    expect(JSON.parse(JSON.stringify(settingsOf(formStateOf(defaults))))).toEqual(JSON.parse(JSON.stringify(defaults)));
  });

  it('keeps switched-off rules and per-property overrides', () => {
    const settings: RoutingSettings = {
      rules: {
        keywordRules: [
          { id: 'keyword:leak', description: 'leaks', keywords: ['漏水', 'leak'], minSeverity: 'important' },
          { id: 'keyword:noise', description: 'noise', keywords: ['噪音'], category: 'environment_public_area' },
        ],
        channelSeverities: {},
        categorySeverities: { contract: 'general' },
        lossThresholdCny: null,
        anchorTenantSeverity: null,
        repeats: null,
        collectiveMinComplainants: null,
      },
      departments: {
        default: { repair: 'engineering' },
        properties: { 'sh-mall': { repair: 'operations' }, 'sh-tower': {} },
      },
    };
    const state = formStateOf(settings);
    expect(state.lossThresholdCny).toEqual({ on: false, value: '' });
    expect(state.anchorTenantSeverity).toBe('');
    expect(state.repeats.on).toBe(false);
    expect(state.departmentDefault.other).toBe('');
    expect(state.propertyDepartments.map((p) => p.propertyId)).toEqual(['sh-mall', 'sh-tower']);
    expect(settingsOf(state)).toEqual(settings);
  });

  it('turns the typed numbers and selects back into the document', () => {
    const state = formStateOf(defaults);
    state.lossThresholdCny = { on: true, value: ' 2500.5 ' };
    state.repeats = { on: true, raiseOneLevelFrom: '2', majorFrom: '3' };
    state.collectiveMinComplainants = { on: false, value: '5' };
    state.anchorTenantSeverity = 'major';
    state.channelSeverities.wechat = 'general';
    state.departmentDefault.other = '';
    state.propertyDepartments = [propertyDepartmentsState('sh-mall')];
    state.propertyDepartments[0].byCategory.repair = 'operations';
    const { rules, departments } = settingsOf(state);
    expect(rules.lossThresholdCny).toBe(2500.5);
    expect(rules.repeats).toEqual({ raiseOneLevelFrom: 2, majorFrom: 3 });
    expect(rules.collectiveMinComplainants).toBeNull();
    expect(rules.anchorTenantSeverity).toBe('major');
    expect(rules.channelSeverities).toEqual({ government_referral: 'major', wechat: 'general' });
    expect(departments.default).not.toHaveProperty('other');
    expect(departments.properties).toEqual({ 'sh-mall': { repair: 'operations' } });
  });

  it('sends an emptied number as 0, for the API to refuse at the field, not as null (off)', () => {
    const state = formStateOf(defaults);
    state.lossThresholdCny = { on: true, value: '' };
    expect(settingsOf(state).rules.lossThresholdCny).toBe(0);
  });

  it('leaves a new rule’s empty category and severity out', () => {
    const state = formStateOf(defaults);
    state.keywordRules = [{ ...emptyKeywordRule(0), id: ' keyword:x ', description: 'x', keywords: 'a、b' }];
    expect(settingsOf(state).rules.keywordRules).toEqual([{ id: 'keyword:x', description: 'x', keywords: ['a', 'b'] }]);
  });

  it('splits keywords at commas, 、 and new lines, and shows them comma separated', () => {
    expect(splitKeywords('漏水、渗水，leak, power cut\n\n  flood ,')).toEqual([
      '漏水',
      '渗水',
      'leak',
      'power cut',
      'flood',
    ]);
    expect(splitKeywords(' , \n')).toEqual([]);
    expect(joinKeywords(['漏水', 'power cut'])).toBe('漏水, power cut');
    expect(splitKeywords(joinKeywords(['漏水', 'power cut']))).toEqual(['漏水', 'power cut']);
  });

  it('moves rules within the list only', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('gives a new row a key no other row has', () => {
    expect(nextRuleKey([])).toBe(0);
    expect(nextRuleKey([emptyKeywordRule(3), emptyKeywordRule(1)])).toBe(4);
  });

  it('names every field as the API names its refusals', () => {
    const state = formStateOf(defaults);
    state.keywordRules = [{ ...emptyKeywordRule(0), keywords: 'a, b' }];
    state.propertyDepartments = [propertyDepartmentsState('sh-mall')];
    const sent = settingsOf(state);
    sent.rules.keywordRules[0].keywords.push('c');
    const names = fieldNames(state, sent);
    expect(names).toEqual(
      expect.arrayContaining([
        'rules.keywordRules.0.id',
        'rules.keywordRules.0.keywords',
        'rules.keywordRules.0.keywords.2',
        'rules.keywordRules.0.category',
        'rules.channelSeverities.wechat',
        'rules.categorySeverities.repair',
        'rules.lossThresholdCny',
        'rules.repeats.majorFrom',
        'departments.default.repair',
        'departments.properties.sh-mall.repair',
      ]),
    );
    expect(names).not.toContain('rules.keywordRules.0.keywords.3');
    expect(names).not.toContain('rules.keywordRules.1.id');
  });
});
