import { CONSEQUENCE_MEASURES, consequenceAmountProblem, consequenceRefusal } from './staff-consequences';

describe('who may decide a reward or penalty', () => {
  it('needs the measure’s level', () => {
    expect(consequenceRefusal('verbal_warning', 'supervisor', 'frontline')).toBeNull();
    expect(consequenceRefusal('performance_deduction', 'supervisor', 'frontline')).toMatch(/manager level or above/);
    expect(consequenceRefusal('dismissal', 'manager', 'frontline')).toMatch(/property_head level/);
    expect(consequenceRefusal('dismissal', 'property_head', 'manager')).toBeNull();
  });

  it('needs a level above the colleague’s', () => {
    expect(consequenceRefusal('commendation', 'manager', 'manager')).toMatch(/higher level than manager/);
    expect(consequenceRefusal('commendation', 'manager', 'property_head')).toMatch(/higher level/);
    expect(consequenceRefusal('commendation', 'group_hq', 'regional_gm')).toBeNull();
  });

  it('every measure is a reward or a penalty', () => {
    for (const { kind } of Object.values(CONSEQUENCE_MEASURES)) expect(['reward', 'penalty']).toContain(kind);
  });
});

describe('the amount of a measure', () => {
  it('is required for money measures only', () => {
    expect(consequenceAmountProblem('bonus', undefined)).toMatch(/required/);
    expect(consequenceAmountProblem('bonus', '200')).toBeNull();
    expect(consequenceAmountProblem('performance_deduction', '0')).toMatch(/more than 0/);
    expect(consequenceAmountProblem('verbal_warning', '100')).toMatch(/only for bonus and performance_deduction/);
    expect(consequenceAmountProblem('verbal_warning', undefined)).toBeNull();
  });
});
