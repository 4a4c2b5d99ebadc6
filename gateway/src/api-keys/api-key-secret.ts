import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * An API key reads `ck_<key id>_<secret>`. The key id finds the record in one lookup; the
 * secret (32 random bytes, base64url) proves possession. Key ids are letters and digits only,
 * so the first `_` after the prefix ends the id even though base64url may contain `_`.
 */
export const API_KEY_PATTERN = /^ck_([A-Za-z0-9]{1,64})_([A-Za-z0-9_-]{43})$/;

/** Generates a new key; the full string is shown to its owner once and never stored. */
export function generateApiKey(): { keyId: string; apiKey: string } {
  const keyId = randomBytes(12).toString('hex');
  return { keyId, apiKey: `ck_${keyId}_${randomBytes(32).toString('base64url')}` };
}

/** The key id of a well-formed key, or undefined for anything else. */
export function keyIdOf(apiKey: string): string | undefined {
  return API_KEY_PATTERN.exec(apiKey)?.[1];
}

/**
 * What is stored instead of the key: SHA-256, hex. No salt or slow hash is needed because the
 * secret is 256 random bits, not a password a person chose; a fast hash keeps every request cheap.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented key with the stored hash. */
export function apiKeyMatches(apiKey: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(apiKey, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
