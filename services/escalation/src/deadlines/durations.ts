// Pure and deterministic: runs inside the Temporal workflow sandbox.

export type TimeBasis = 'calendar' | 'working';

export class DurationError extends Error {
  override name = 'DurationError';
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

// A hand-written pattern rather than the tinyduration package: its pattern is not anchored,
// so it silently accepts 'P1Dfoo', 'xP1D' or 'P1D1D' (reading only the first part) and
// negative parts such as 'P-1D'. Anchoring needs a full pattern anyway, so this is it.
// Fractions are allowed on seconds only, the one place a deadline policy needs them.
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const EXAMPLES = 'such as PT1H, P3D, P1DT2H30M or P2W';

/** ISO-8601 duration such as PT1H, P3D, PT5S, P1DT2H30M, P2W. Years and months are refused (their length varies) with a DurationError naming the problem; so is anything malformed or zero. */
export function parseDuration(iso: string): { days: number; ms: number } {
  const datePart = iso.split('T')[0] ?? '';
  if (datePart.startsWith('P') && /[YM]/.test(datePart)) {
    throw new DurationError(
      `Duration "${iso}" uses years or months, whose length varies; use weeks (W) or days (D) instead.`,
    );
  }
  const match = DURATION.exec(iso);
  const parts = match?.slice(1) ?? [];
  if (!match || parts.every((part) => part === undefined) || iso.endsWith('T')) {
    throw new DurationError(`"${iso}" is not an ISO-8601 duration ${EXAMPLES}.`);
  }
  const [weeks, days, hours, minutes, seconds] = parts;
  const wholeDays = whole(weeks) * 7 + whole(days);
  const ms =
    whole(hours) * HOUR_MS +
    whole(minutes) * MINUTE_MS +
    // Instants are whole milliseconds, so finer fractions cannot be honoured.
    Math.round(Number((seconds ?? '0').replace(',', '.')) * 1000);
  if (wholeDays === 0 && ms === 0) {
    throw new DurationError(`Duration "${iso}" is zero (or under a millisecond); a deadline needs a positive length.`);
  }
  return { days: wholeDays, ms };
}

function whole(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits);
}
