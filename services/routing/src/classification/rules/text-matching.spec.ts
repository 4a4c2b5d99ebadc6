import { findKeyword, isMatchableKeyword, normalise, searchField } from './text-matching';

const find = (text: string, keyword: string) => findKeyword(searchField('description', text), keyword);

describe('keyword matching', () => {
  it('finds Chinese keywords inside text without spaces, where a \\b regex finds nothing', () => {
    const text = '停车场电梯停运了';
    // The regex an English-minded matcher would write: no word boundary exists between Han characters.
    expect(new RegExp(`\\b${'电梯'}\\b`, 'u').test(text)).toBe(false);
    expect(find(text, '电梯')).toBe('电梯');
    expect(find('卫生间漏水严重', '漏水')).toBe('漏水');
  });

  it('matches English keywords on whole words only', () => {
    expect(find('An uplifting experience', 'lift')).toBeUndefined();
    expect(find('The lift is stuck', 'lift')).toBe('lift');
    expect(find('Both lifts are stuck', 'lift')).toBeUndefined();
    expect(find('Both lifts are stuck', 'lifts')).toBe('lifts');
    expect(find('the ceiling is leaking', 'leak')).toBeUndefined();
  });

  it('finds English words inside Chinese text', () => {
    expect(find('电梯lift坏了', 'lift')).toBe('lift');
  });

  it('matches multi-word keywords as consecutive words, across spaces and hyphens', () => {
    expect(find('Another power cut today', 'power cut')).toBe('power cut');
    expect(find('another power-cut today', 'power cut')).toBe('power-cut');
    expect(find('POWER   CUT', 'power cut')).toBe('power   cut');
    expect(find('the power was cut', 'power cut')).toBeUndefined();
    expect(find('power', 'power cut')).toBeUndefined();
  });

  it('ignores case and full-width forms', () => {
    expect(find('ＬＩＦＴ out of order', 'lift')).toBe('lift');
    expect(find('The Elevator stopped', 'ELEVATOR')).toBe('elevator');
  });

  it('never matches a keyword of punctuation alone', () => {
    expect(find('what?!', '?!')).toBeUndefined();
    expect(find('anything', '   ')).toBeUndefined();
    expect(isMatchableKeyword('?!')).toBe(false);
    expect(isMatchableKeyword('漏水')).toBe(true);
    expect(isMatchableKeyword('power cut')).toBe(true);
  });

  it('normalises with NFKC and lower case', () => {
    expect(normalise('ＲＭＢ１５，０００ ￥')).toBe('rmb15,000 ¥');
  });
});
