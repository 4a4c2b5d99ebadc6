import { initialClassification } from './initial-classification';

describe('initial classification', () => {
  it('follows valid hints and says so', () => {
    const result = initialClassification({ categoryHint: 'repair', severityHint: 'important' });
    expect(result).toMatchObject({ category: 'repair', severity: 'important', department: 'customer_service' });
    expect(result.reasons).toContain('severity from hint: important');
  });

  it('falls back to other / general for missing or unknown hints', () => {
    const result = initialClassification({ categoryHint: 'weather', severityHint: '' });
    expect(result).toMatchObject({ category: 'other', severity: 'general' });
    expect(result.reasons).toEqual([
      'category default: other',
      'severity default: general',
      'department default: customer_service',
    ]);
  });
});
