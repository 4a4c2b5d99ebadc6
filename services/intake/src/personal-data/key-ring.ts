import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A complainant's personal data in the clear: only ever in memory, never stored or published. */
export interface ClearPersonalData {
  name: string;
  contact: string;
  unit: string;
}

/**
 * The personal data as stored: AES-256-GCM over the JSON of the three fields, with the id of the
 * key that sealed it, so keys can rotate while old values still open. One sealed value per
 * complaint (not one per field): a rotation re-seals a record in one write.
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
 * The configured keys (`PERSONAL_DATA_KEYS`), which of them seals new values
 * (`PERSONAL_DATA_KEY_ID`), and the secret of the blind index (`PERSONAL_DATA_INDEX_SECRET`).
 * Only calls node:crypto; nothing cryptographic is written by hand here.
 */
export class PersonalDataKeyRing {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
    private readonly indexSecret: Buffer,
  ) {
    if (!keys.has(currentKeyId)) throw new Error(`personal-data key ${currentKeyId} is not among the configured keys`);
    for (const [id, key] of keys) {
      if (key.length !== 32) throw new Error(`personal-data key ${id} must be 32 bytes (AES-256)`);
    }
  }

  /** Keys besides the current one are configured: a rotation is under way. */
  get rotating(): boolean {
    return this.keys.size > 1;
  }

  /**
   * `boundTo` (the complaint id) is authenticated with the value: a sealed value copied onto
   * another complaint does not open there.
   */
  seal(boundTo: string, clear: ClearPersonalData): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(clear), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { keyId: this.currentKeyId, iv: iv.toString('base64'), data: data.toString('base64') };
  }

  /** Throws when the key is no longer configured or the value was tampered with. */
  open(boundTo: string, sealed: SealedValue): ClearPersonalData {
    const bytes = Buffer.from(sealed.data, 'base64');
    const decipher = createDecipheriv(ALGORITHM, this.key(sealed.keyId), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const json = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(json.toString('utf8')) as ClearPersonalData;
  }

  /**
   * The blind index of a contact: HMAC-SHA256 with its own secret (not an encryption key, so
   * rotating those never changes it) over the group and the normalised contact. Equal for every
   * complaint of one complainant in a group, so they are found without decrypting anything; it
   * is also the complainant's pseudonym on the bus (`complainant_key`).
   */
  blindIndex(groupId: string, contact: string): string {
    return createHmac('sha256', this.indexSecret)
      .update(`${groupId}\u0000${normaliseContact(contact)}`)
      .digest('hex');
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`personal-data key ${id} is not configured (still needed to open older values)`);
    return key;
  }
}

/** `+86 138-0013-8000` and `13800138000` are one complainant; so are `Zhang@Example.com` and `zhang@example.com`. */
export function normaliseContact(contact: string): string {
  const value = contact.trim().toLowerCase();
  if (value.includes('@') || value.startsWith('wechat:')) return value;
  const compact = value.replace(/[\s()-]/g, '');
  return /^\+861\d{10}$/.test(compact) ? compact.slice(3) : compact;
}
