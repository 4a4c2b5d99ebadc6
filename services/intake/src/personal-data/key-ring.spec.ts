import { randomBytes } from 'node:crypto';
import { parseKeys } from '@complaints/config';
import { normaliseContact, PersonalDataKeyRing } from './key-ring';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const secret = randomBytes(32);
const clear = { name: '张三', contact: '13800138000', unit: 'L2-15' };

describe('personal-data key ring', () => {
  it('seals under the current key and opens with the key named in the value', () => {
    const ringA = new PersonalDataKeyRing(new Map([['a', keyA]]), 'a', secret);
    const sealed = ringA.seal('complaint-1', clear);
    expect(sealed.keyId).toBe('a');
    expect(Buffer.from(sealed.data, 'base64').toString('utf8')).not.toContain('13800138000');
    const rotated = new PersonalDataKeyRing(
      new Map([
        ['a', keyA],
        ['b', keyB],
      ]),
      'b',
      secret,
    );
    expect(rotated.open('complaint-1', sealed)).toEqual(clear);
    expect(rotated.seal('complaint-1', clear).keyId).toBe('b');
    const withoutA = new PersonalDataKeyRing(new Map([['b', keyB]]), 'b', secret);
    expect(() => withoutA.open('complaint-1', sealed)).toThrow('personal-data key a is not configured');
  });

  it('refuses a value moved to another complaint or changed', () => {
    const ring = new PersonalDataKeyRing(new Map([['a', keyA]]), 'a', secret);
    const sealed = ring.seal('complaint-1', clear);
    expect(() => ring.open('complaint-2', sealed)).toThrow();
    const bytes = Buffer.from(sealed.data, 'base64');
    bytes[0] ^= 1;
    expect(() => ring.open('complaint-1', { ...sealed, data: bytes.toString('base64') })).toThrow();
  });

  it('indexes one complainant the same however the contact is written, per group', () => {
    const ring = new PersonalDataKeyRing(new Map([['a', keyA]]), 'a', secret);
    expect(ring.blindIndex('g', '+86 138-0013-8000')).toBe(ring.blindIndex('g', '13800138000'));
    expect(ring.blindIndex('g', 'Zhang@Example.com ')).toBe(ring.blindIndex('g', 'zhang@example.com'));
    expect(ring.blindIndex('g', '13800138000')).not.toBe(ring.blindIndex('h', '13800138000'));
    expect(normaliseContact('wechat:oAbC')).toBe('wechat:oabc');
  });

  it('parses the configured keys and names what is wrong', () => {
    expect([...parseKeys(`a:${keyA.toString('base64')}, b:${keyB.toString('base64')}`).keys()]).toEqual(['a', 'b']);
    expect(() => parseKeys('a:c2hvcnQ=')).toThrow('key a must be 32 bytes');
    expect(() => parseKeys(`:${keyA.toString('base64')}`)).toThrow('is not a key id');
    expect(() => parseKeys('')).toThrow('no key');
  });
});
