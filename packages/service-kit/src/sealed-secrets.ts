import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A value as stored: AES-256-GCM ciphertext with the id of the key that sealed it, so keys can
 * rotate while old values still open.
 */
export interface SealedValue {
  keyId: string;
  /** 12 random bytes, base64. */
  iv: string;
  /** Ciphertext followed by the 16-byte authentication tag, base64. */
  data: string;
}

const ALGORITHM = 'aes-256-gcm';
const TAG_BYTES = 16;

/**
 * Seals text with the current key of a rotatable set (`KeySet` of @complaints/config) and opens
 * it with whichever configured key sealed it. `boundTo` (what the value belongs to: a complaint, a
 * group's setting, a subscription) is authenticated with it, so a sealed value copied elsewhere
 * does not open there. Only calls node:crypto; nothing cryptographic is written by hand.
 */
export class Sealer {
  /** `what` names the keys in errors ("personal-data key 2026-11 is not configured"). */
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
    private readonly what: string,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`${what} key ${currentKeyId} is not among the configured keys`);
    for (const [id, key] of keys) {
      if (key.length !== 32) throw new Error(`${what} key ${id} must be 32 bytes (AES-256)`);
    }
  }

  /** Keys besides the current one are configured: a rotation is under way. */
  get rotating(): boolean {
    return this.keys.size > 1;
  }

  seal(boundTo: string, text: string): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { keyId: this.currentKeyId, iv: iv.toString('base64'), data: data.toString('base64') };
  }

  /** Throws when the key is no longer configured or the value was tampered with. */
  open(boundTo: string, sealed: SealedValue): string {
    const bytes = Buffer.from(sealed.data, 'base64');
    const decipher = createDecipheriv(ALGORITHM, this.key(sealed.keyId), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`${this.what} key ${id} is not configured (still needed to open older values)`);
    return key;
  }
}
