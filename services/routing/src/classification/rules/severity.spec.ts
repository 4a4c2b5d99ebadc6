import { maxSeverity, raiseSeverity, severityForLiability } from './severity';

describe('raiseSeverity', () => {
  it('goes one level up by default', () => {
    expect(raiseSeverity('general')).toBe('important');
    expect(raiseSeverity('important')).toBe('major');
  });

  it('stops at major', () => {
    expect(raiseSeverity('major')).toBe('major');
    expect(raiseSeverity('general', 5)).toBe('major');
  });

  it('never lowers', () => {
    expect(raiseSeverity('important', 0)).toBe('important');
    expect(raiseSeverity('important', -1)).toBe('important');
    expect(raiseSeverity('major', Number.NaN)).toBe('major');
  });

  it('counts whole levels only', () => {
    expect(raiseSeverity('general', 1.9)).toBe('important');
  });
});

describe('maxSeverity', () => {
  it('takes the higher of two', () => {
    expect(maxSeverity('general', 'important')).toBe('important');
    expect(maxSeverity('major', 'general')).toBe('major');
    expect(maxSeverity('important', 'important')).toBe('important');
  });
});

describe('severityForLiability', () => {
  it('makes a responsible complaint from an anchor tenant major', () => {
    expect(severityForLiability('important', { anchorTenant: true, liability: 'responsible' })).toBe('major');
  });

  it('leaves other complaints as they are', () => {
    expect(severityForLiability('important', { anchorTenant: true, liability: 'non_liable' })).toBe('important');
    expect(severityForLiability('important', { anchorTenant: true, liability: 'assist' })).toBe('important');
    expect(severityForLiability('important', { anchorTenant: true, liability: '' })).toBe('important');
    expect(severityForLiability('general', { anchorTenant: true })).toBe('general');
    expect(severityForLiability('general', { anchorTenant: false, liability: 'responsible' })).toBe('general');
  });

  it('never lowers', () => {
    expect(severityForLiability('major', { anchorTenant: false, liability: 'non_liable' })).toBe('major');
  });
});
