import { deadLetterSubject, headerValue, MAX_REASON_LENGTH, retryDelayMs } from './dead-letters';

describe('dead letters', () => {
  it('names the subject after the durable consumer', () => {
    expect(deadLetterSubject('routing')).toBe('deadletters.v1.routing');
  });

  it('doubles the retry delay per delivery, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n))).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, { initialMs: 100, maxMs: 250 }))).toEqual([100, 200, 250, 250]);
    expect(retryDelayMs(0)).toBe(2_000);
    expect(retryDelayMs(10_000, { initialMs: 1_000, maxMs: 5_000 })).toBe(5_000);
  });

  it('makes a header value of any error message: one line, cut to a sane length', () => {
    expect(headerValue('  TypeError: x\r\n    at f (a.ts:1)\n\tat g  ')).toBe('TypeError: x at f (a.ts:1) at g');
    expect(headerValue('a\u2028b\u0000c')).toBe('a b c');
    const long = headerValue('停'.repeat(2_000));
    expect(Array.from(long)).toHaveLength(MAX_REASON_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    // Characters outside the BMP are not split in half.
    const emoji = headerValue('😀'.repeat(20), 10);
    expect(emoji).toBe(`${'😀'.repeat(9)}…`);
    expect(headerValue('short', 10)).toBe('short');
  });
});
