/**
 * Exponential backoff with equal jitter: half the step is fixed, half random (`random` in
 * [0, 1)), so deliveries that failed together do not all come back at once.
 */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const step = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
}
