import { fromCents, levelNeededFor, moneyAmount, resolveProblems, toCents } from './remedies';

describe('remedies (退换修赔)', () => {
  it('reads amounts in cents, without rounding', () => {
    expect(toCents('350')).toBe(35_000);
    expect(toCents('350.5')).toBe(35_050);
    expect(toCents('0.07')).toBe(7);
    expect(fromCents(35_050)).toBe('350.50');
    expect(moneyAmount.safeParse('1.234').success).toBe(false);
    expect(moneyAmount.safeParse('0.00').success).toBe(false);
    expect(moneyAmount.safeParse('-5').success).toBe(false);
  });

  it('names the lowest level whose authority covers an amount', () => {
    expect(levelNeededFor('200.00')).toBe('frontline');
    expect(levelNeededFor('200.01')).toBe('supervisor');
    expect(levelNeededFor('5000')).toBe('manager');
    expect(levelNeededFor('20000.01')).toBe('regional_gm');
    expect(levelNeededFor('999999999')).toBe('group_hq');
  });

  it('gives money and corrective actions only for a responsible, valid complaint', () => {
    const responsible = { liability: 'responsible', validity: 'valid' };
    expect(resolveProblems({ ...responsible, remedy: { kind: 'refund', amount: '10' } })).toEqual([]);
    expect(resolveProblems({ ...responsible, remedy: { kind: 'refund' } })).toEqual([
      { path: ['remedy', 'amount'], message: 'is required for refund' },
    ]);
    expect(resolveProblems({ ...responsible, remedy: { kind: 'apology', amount: '10' } })).toEqual([
      { path: ['remedy', 'amount'], message: 'must be left out for apology' },
    ]);
    const nonLiable = { liability: 'non_liable', validity: 'valid' };
    expect(resolveProblems({ ...nonLiable, remedy: { kind: 'apology' } })).toEqual([]);
    expect(resolveProblems({ ...nonLiable, remedy: { kind: 'repair' } }).map((problem) => problem.path)).toEqual([
      ['remedy', 'kind'],
    ]);
    const action = { description: '培训', ownerId: 's-1', dueAt: '2026-12-31T00:00:00Z' };
    expect(resolveProblems({ ...responsible, validity: 'invalid', correctiveAction: action })).toHaveLength(1);
    expect(resolveProblems({ ...responsible, correctiveAction: action })).toEqual([]);
  });
});
