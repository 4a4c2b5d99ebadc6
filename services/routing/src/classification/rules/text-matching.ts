// A fixed locale, so that every replica segments (and so classifies) the same text alike.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** NFKC folds full-width letters and digits (Ｌｉｆｔ, ５万) into their ASCII forms before case folding. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function wordsOf(normalised: string): Word[] {
  const words: Word[] = [];
  for (const { segment, index, isWordLike } of segmenter.segment(normalised)) {
    if (isWordLike) words.push({ text: segment, start: index, end: index + segment.length });
  }
  return words;
}

/** One searchable field (description, demand, location), normalised and split into words once. */
export interface SearchField {
  name: string;
  text: string;
  words: Word[];
}

export function searchField(name: string, raw: string): SearchField {
  const text = normalise(raw);
  return { name, text, words: wordsOf(text) };
}

/** True when the keyword has a word or CJK character, i.e. when `findKeyword` can ever match it. */
export function isMatchableKeyword(keyword: string): boolean {
  const k = normalise(keyword.trim());
  return CJK.test(k) || wordsOf(k).length > 0;
}

interface PreparedKeyword {
  k: string;
  cjk: boolean;
  wanted: string[];
}

/** Keywords prepared once: segmenting every rule's keywords for every complaint was most of routing's CPU. */
const preparedKeywords = new Map<string, PreparedKeyword>();
/** Rules are edited by admins; a bound keeps keywords no longer in any rule from piling up. */
const MAX_PREPARED_KEYWORDS = 20_000;

function prepared(keyword: string): PreparedKeyword {
  let found = preparedKeywords.get(keyword);
  if (!found) {
    const k = normalise(keyword.trim());
    const cjk = CJK.test(k);
    found = { k, cjk, wanted: cjk ? [] : wordsOf(k).map((word) => word.text) };
    if (preparedKeywords.size >= MAX_PREPARED_KEYWORDS) preparedKeywords.clear();
    preparedKeywords.set(keyword, found);
  }
  return found;
}

/**
 * The keyword as it occurs in the field, or undefined. CJK keywords match as substrings:
 * Chinese has no spaces, so word boundaries (and `\b`, which sees no boundary between
 * Han characters at all) would miss "电梯" in "停车场电梯停运". Other keywords match whole
 * words in a row, so "lift" does not match "uplifting", and "power cut" matches
 * "power-cut" and "power  cut".
 */
export function findKeyword(field: SearchField, keyword: string): string | undefined {
  const { k, cjk, wanted } = prepared(keyword);
  if (k.length === 0) return undefined;
  if (cjk) return field.text.includes(k) ? k : undefined;

  if (wanted.length === 0) return undefined;
  const words = field.words;
  for (let i = 0; i + wanted.length <= words.length; i++) {
    if (wanted.every((w, j) => words[i + j].text === w)) {
      return field.text.slice(words[i].start, words[i + wanted.length - 1].end);
    }
  }
  return undefined;
}
