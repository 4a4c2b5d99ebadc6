import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers every webhook delivery carries (docs/webhooks.md). */
export const SIGNATURE_HEADER = 'X-Complaints-Signature';
export const TIMESTAMP_HEADER = 'X-Complaints-Timestamp';
export const DELIVERY_HEADER = 'X-Complaints-Delivery';
export const EVENT_HEADER = 'X-Complaints-Event';

/** A receiver refuses a delivery signed further than this from its own clock, so a captured request cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. The timestamp is signed with the body so that an
 * attacker cannot pair an old signed body with a fresh timestamp. The version prefix lets a later
 * scheme be sent beside this one while receivers move over.
 */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `v1=${hmac.digest('hex')}`;
}

/**
 * True when `signatureHeader` is the signature of `body` at `timestampHeader` and that timestamp is
 * within `toleranceSeconds` of `nowSeconds`, either way. `body` must be the raw bytes received:
 * JSON parsed and printed again need not be the same bytes.
 */
export function verifyWebhook(
  secret: string,
  signatureHeader: string | undefined,
  timestampHeader: string | undefined,
  body: string | Buffer,
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  if (signatureHeader === undefined || timestampHeader === undefined) return false;
  if (!/^\d{1,12}$/.test(timestampHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signatureHeader);
  // timingSafeEqual throws on different lengths; the length of a well-formed signature is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
