/**
 * "The same matter" (SPEC §3 collective complaints): same property and category (checked by
 * the query), same place, and descriptions that say much the same. Chinese has no spaces,
 * so similarity is measured on character pairs (bigrams), which works for both languages.
 */
export function locationKey(location: string): string {
  return location
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

function bigrams(text: string): Map<string, number> {
  const chars = [...locationKey(text)];
  const counts = new Map<string, number>();
  for (let i = 0; i < chars.length - 1; i++) {
    const pair = chars[i] + chars[i + 1];
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** Dice coefficient of character bigrams: 1 for the same text, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  const total = [...left.values(), ...right.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return a.trim() === b.trim() ? 1 : 0;
  let shared = 0;
  for (const [pair, count] of left) shared += Math.min(count, right.get(pair) ?? 0);
  return (2 * shared) / total;
}

/** Descriptions at least this alike are about the same matter. */
export const SAME_MATTER_SIMILARITY = 0.4;

export function sameMatter(
  a: { locationKey: string; description: string },
  b: { locationKey: string; description: string },
): boolean {
  return a.locationKey === b.locationKey && similarity(a.description, b.description) >= SAME_MATTER_SIMILARITY;
}
