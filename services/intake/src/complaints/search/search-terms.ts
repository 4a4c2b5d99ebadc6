/**
 * The words a complaint is found by, and the words of a search: what a search index stores.
 *
 * MongoDB's text index has no Chinese tokenizer (it would take 停车场电梯停运 for one word) and
 * FerretDB has none at all, so complaints keep their terms in an array field, matched with `$all`
 * on an ordinary index. Chinese is cut into overlapping pairs of characters, as Lucene's CJK
 * bigram filter does: 电梯停运 gives 电梯 梯停 停运, and a search for 梯停运 asks for 梯停 and 停运,
 * so any run of two or more characters is found wherever it appears, without a dictionary.
 * Other scripts are cut into words (Unicode word boundaries), lower-cased.
 */

/** Han characters (Chinese, and kanji); each run is cut into pairs. */
const HAN = /\p{Script=Han}+/gu;
/** Letters and digits of other scripts, joined by apostrophes or dots within a word (don't, 3.5). */
const WORD = /[\p{L}\p{N}]+(?:['.][\p{L}\p{N}]+)*/gu;
/** A complaint's description alone may hold 10 000 characters: the distinct terms are capped. */
export const MAX_TERMS = 2_000;

function normalised(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** A run of Han characters: its pairs, and (stored, or a one-character search) its characters. */
function hanTerms(run: string, singles: boolean): string[] {
  const chars = Array.from(run);
  const pairs = chars.slice(1).map((char, i) => chars[i] + char);
  return singles || chars.length === 1 ? [...chars, ...pairs] : pairs;
}

function termsOf(text: string, singles: boolean): string[] {
  const value = normalised(text);
  const terms: string[] = [];
  for (const [run] of value.matchAll(HAN)) terms.push(...hanTerms(run, singles));
  for (const [word] of value.replace(HAN, ' ').matchAll(WORD)) terms.push(word);
  return terms;
}

/**
 * The terms stored for a complaint's texts: every Chinese character and pair of characters (so a
 * one-character search finds them too) and every word; distinct, at most MAX_TERMS, the first
 * text's first.
 */
export function searchTermsOf(...texts: string[]): string[] {
  return withTerms([], texts);
}

/** Adds the terms of more texts (a note) to those stored, within MAX_TERMS. */
export function withTerms(stored: readonly string[], texts: readonly string[]): string[] {
  const distinct = new Set(stored);
  for (const text of texts) {
    for (const term of termsOf(text, true)) {
      if (distinct.size >= MAX_TERMS) return [...distinct];
      distinct.add(term);
    }
  }
  return [...distinct];
}

/** The terms a search asks for (every one must be stored on a complaint it finds); none for blank input. */
export function queryTermsOf(search: string): string[] {
  return [...new Set(termsOf(search, false))];
}
