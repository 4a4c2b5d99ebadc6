/**
 * Amounts of money in complaint text, in CNY, for the "serious economic loss" rule.
 *
 * Currency handling is deliberately simple: ¥ (and ￥), RMB, CNY, 人民币, 元, 块 and yuan
 * mean CNY; an amount marked with any other currency ($, US$, HK$, USD, €, 美元, 港币 …)
 * is ignored, never converted. A number without a currency counts as CNY only right
 * after a word of loss or compensation (损失, 赔偿, loss of …), because elsewhere a bare
 * "3万" is as likely to be square metres or visitors. Both arabic ("20,000", "1.5万",
 * "20k") and Chinese numerals ("五万", "一万五千", "两千") are read.
 */

export interface MoneyAmount {
  amountCny: number;
  /** The amount as it appears in the (normalised) text, e.g. `损失5万元`. */
  text: string;
}

const MULTIPLIERS: Record<string, number> = { 百: 100, 千: 1_000, k: 1_000, 万: 10_000, w: 10_000, 亿: 100_000_000 };

// Arabic number with an optional multiplier, or a run of Chinese numerals; then "余/多" (and more).
const AMOUNT =
  /(?<arabic>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(?<multiplier>[百千万亿]|[kw](?![a-z])))?|(?<chinese>[零〇一二两三四五六七八九十几][零〇一二两三四五六七八九十几百千万亿]*)/gu;

const APPROXIMATE = /^(?:余|多)/u;
const CNY_BEFORE = /(?:¥|rmb|cny|人民币)\s*$/u;
const FOREIGN_BEFORE = /(?:\$|usd|hkd|eur|gbp|jpy|€|£)\s*$/u;
const CNY_AFTER = /^\s*(?:元|块|圆|人民币|(?:rmb|cny|yuan)(?![a-z]))/u;
const FOREIGN_AFTER =
  /^\s*(?:美元|美金|港币|港元|澳元|欧元|日元|英镑|台币|(?:dollars?|usd|hkd|eur|euros?|gbp|jpy)(?![a-z]))/u;
const LOSS_BEFORE =
  /(?:损失|赔偿|索赔|赔|补偿|价值|(?<![a-z])(?:loss|losses|lost|damages?|compensation|worth)(?![a-z]))[^\d。,.;；!！?？\n]{0,12}$/u;
const NOT_MONEY_AFTER = /^\s*%/u;

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  // "几万" (some ten thousands) is read at its lowest, so a rough amount never overstates a loss.
  几: 1,
};
const CHINESE_SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1_000 };
const CHINESE_LARGE_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

/** "五万" → 50000, "一万五千" → 15000, "十二" → 12; "一万五" is read as people say it, 15000; "十几万" as 110000. */
export function parseChineseNumeral(numeral: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  let previousWasUnit = false;
  let digitFollowsUnit = false;
  for (const ch of numeral) {
    if (ch in CHINESE_DIGITS) {
      digit = CHINESE_DIGITS[ch];
      digitFollowsUnit = previousWasUnit && ch !== '零' && ch !== '〇';
      previousWasUnit = false;
    } else if (ch in CHINESE_SMALL_UNITS) {
      const unit = CHINESE_SMALL_UNITS[ch];
      section += (digit === 0 ? 1 : digit) * unit;
      digit = 0;
      lastUnit = unit;
      previousWasUnit = true;
    } else if (ch in CHINESE_LARGE_UNITS) {
      const unit = CHINESE_LARGE_UNITS[ch];
      total += (section + digit || 1) * unit;
      section = 0;
      digit = 0;
      lastUnit = unit;
      previousWasUnit = true;
    }
  }
  // A digit straight after a unit counts in the next lower place: 一万五 = 15000, 三千二 = 3200.
  const trailing = digitFollowsUnit && lastUnit >= 10 ? (digit * lastUnit) / 10 : digit;
  return total + section + trailing;
}

function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Every CNY amount in normalised text (see `normalise`), in order of appearance. */
export function findCnyAmounts(text: string): MoneyAmount[] {
  const found: MoneyAmount[] = [];
  for (const match of text.matchAll(AMOUNT)) {
    const groups = match.groups ?? {};
    const start = match.index;
    let end = start + match[0].length;

    let amount: number;
    if (groups.arabic !== undefined) {
      // "20,000元" is read as 20000, never as twenty.
      amount = Number(groups.arabic.replace(/,/g, '')) * (groups.multiplier ? MULTIPLIERS[groups.multiplier] : 1);
    } else if (groups.chinese !== undefined) {
      amount = parseChineseNumeral(groups.chinese);
    } else {
      continue;
    }
    if (!Number.isFinite(amount) || amount <= 0) continue;

    const approximate = APPROXIMATE.exec(text.slice(end));
    if (approximate) end += approximate[0].length;
    const before = text.slice(Math.max(0, start - 24), start);
    const after = text.slice(end, end + 16);
    if (FOREIGN_BEFORE.test(before) || FOREIGN_AFTER.test(after) || NOT_MONEY_AFTER.test(after)) continue;

    const currencyBefore = CNY_BEFORE.exec(before);
    const currencyAfter = CNY_AFTER.exec(after);
    const loss = currencyBefore || currencyAfter ? null : LOSS_BEFORE.exec(before);
    if (!currencyBefore && !currencyAfter && !loss) continue;

    const shownFrom = start - (currencyBefore?.[0].length ?? loss?.[0].length ?? 0);
    const shownTo = end + (currencyAfter?.[0].length ?? 0);
    found.push({ amountCny: round(amount), text: text.slice(shownFrom, shownTo).trim() });
  }
  return found;
}
