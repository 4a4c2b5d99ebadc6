import { MAX_TERMS, queryTermsOf, searchTermsOf, withTerms } from './search-terms';

/** Whether a search finds a complaint with these texts, as the store's `$all` decides it. */
const finds = (search: string, ...texts: string[]) => {
  const stored = new Set(searchTermsOf(...texts));
  const asked = queryTermsOf(search);
  return asked.length > 0 && asked.every((term) => stored.has(term));
};

describe('search terms', () => {
  it('finds any run of Chinese characters wherever it stands in the text', () => {
    const text = '停车场B2电梯停运，顾客被困十分钟';
    expect(finds('电梯', text)).toBe(true);
    expect(finds('梯停运', text)).toBe(true);
    expect(finds('被困', text)).toBe(true);
    expect(finds('困', text)).toBe(true);
    expect(finds('漏水', text)).toBe(false);
    expect(finds('电梯漏水', text)).toBe(false);
  });

  it('finds English words whatever their case, and needs every word of the search', () => {
    const text = 'The lift at Car Park B2 stopped; customers were stuck.';
    expect(finds('LIFT', text)).toBe(true);
    expect(finds('car park', text)).toBe(true);
    expect(finds('b2', text)).toBe(true);
    expect(finds('lift leak', text)).toBe(false);
    expect(finds('lif', text)).toBe(false);
  });

  it('mixes scripts, full-width forms included, and searches location, demand and notes alike', () => {
    expect(finds('Ｂ２ 电梯', '停车场B2电梯停运')).toBe(true);
    expect(finds('赔偿', '电梯停运', 'B2 电梯厅', '要求赔偿停车费')).toBe(true);
    expect(finds('厂家', '电梯停运')).toBe(false);
    const stored = new Set(withTerms(searchTermsOf('电梯停运'), ['已联系厂家']));
    expect(queryTermsOf('厂家').every((term) => stored.has(term))).toBe(true);
  });

  it('asks for nothing when the search has no letters, digits or characters', () => {
    expect(queryTermsOf('  ，。!? ')).toEqual([]);
  });

  it('keeps at most MAX_TERMS distinct terms', () => {
    const long = Array.from({ length: 5_000 }, (_, i) => `word${i}`).join(' ');
    expect(searchTermsOf(long)).toHaveLength(MAX_TERMS);
    expect(searchTermsOf('电梯 电梯 电梯')).toEqual(['电', '梯', '电梯']);
  });
});
