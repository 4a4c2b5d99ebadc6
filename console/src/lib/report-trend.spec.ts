import { percentOf, trendRows } from './report-trend';

describe('report trend', () => {
  it('turns rates into percentages with one decimal, and keeps a missing rate missing', () => {
    expect(percentOf(0.5)).toBe(50);
    expect(percentOf(0.12345)).toBe(12.3);
    expect(percentOf(1)).toBe(100);
    expect(percentOf(0)).toBe(0);
    expect(percentOf(null)).toBeNull();
    expect(percentOf(undefined)).toBeNull();
    expect(percentOf('0.5')).toBeNull();
    expect(percentOf(Number.NaN)).toBeNull();
  });

  it('gives each period its counts and on-time rates; periods without them are gaps, not 0', () => {
    const reports: Record<string, Record<string, unknown>> = {
      '2026-W48': {
        received: 1,
        closed: 0,
        // Only the first reply was due (and missed): the other rates have nothing to count.
        firstReplyOnTimeRate: 0,
        resolutionOnTimeRate: null,
        callbackOnTimeRate: null,
        satisfactionRate: null,
      },
      '2026-W49': {
        received: 3,
        closed: 2,
        firstReplyOnTimeRate: 0.5,
        resolutionOnTimeRate: 1,
        callbackOnTimeRate: 0.6667,
        satisfactionRate: 1,
      },
    };
    const periods = ['2026-W47', '2026-W48', '2026-W49'];
    expect(trendRows(periods.map((period) => ({ period, figures: reports[period] })))).toEqual([
      {
        period: '2026-W47',
        received: null,
        closed: null,
        firstReply: null,
        resolution: null,
        callback: null,
        satisfaction: null,
      },
      {
        period: '2026-W48',
        received: 1,
        closed: 0,
        firstReply: 0,
        resolution: null,
        callback: null,
        satisfaction: null,
      },
      {
        period: '2026-W49',
        received: 3,
        closed: 2,
        firstReply: 50,
        resolution: 100,
        callback: 66.7,
        satisfaction: 100,
      },
    ]);
  });
});
