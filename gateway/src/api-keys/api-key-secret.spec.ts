import { API_KEY_PATTERN, apiKeyMatches, generateApiKey, hashApiKey, keyIdOf } from './api-key-secret';

describe('API key secrets', () => {
  it('generates keys in the documented format, each different', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first.apiKey).toMatch(API_KEY_PATTERN);
    expect(first.apiKey.startsWith(`ck_${first.keyId}_`)).toBe(true);
    expect(first.apiKey.length).toBe(3 + 24 + 1 + 43);
    expect(second.keyId).not.toBe(first.keyId);
    expect(second.apiKey).not.toBe(first.apiKey);
  });

  it('reads the key id even when the secret contains underscores', () => {
    const secret = 'ab_cd-ef_'.padEnd(43, 'x');
    expect(keyIdOf(`ck_k3y1d_${secret}`)).toBe('k3y1d');
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', `sk_abc_${'x'.repeat(43)}`],
    ['secret too short', `ck_abc_${'x'.repeat(42)}`],
    ['secret too long', `ck_abc_${'x'.repeat(44)}`],
    ['no key id', `ck__${'x'.repeat(43)}`],
    ['key id with a dash', `ck_a-b_${'x'.repeat(43)}`],
    ['trailing whitespace', `ck_abc_${'x'.repeat(43)} `],
  ])('refuses a malformed key (%s)', (_, apiKey) => {
    expect(keyIdOf(apiKey)).toBeUndefined();
  });

  it('stores a SHA-256 hash, never the key', () => {
    const { apiKey } = generateApiKey();
    const hash = hashApiKey(apiKey);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(apiKey.slice(-43));
  });

  it('matches the right key only', () => {
    const { apiKey } = generateApiKey();
    const hash = hashApiKey(apiKey);
    expect(apiKeyMatches(apiKey, hash)).toBe(true);
    expect(apiKeyMatches(`${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`, hash)).toBe(false);
    expect(apiKeyMatches(generateApiKey().apiKey, hash)).toBe(false);
    expect(apiKeyMatches(apiKey, 'not hex')).toBe(false);
  });
});
