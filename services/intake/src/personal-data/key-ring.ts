import { createHmac } from 'node:crypto';
import { Sealer, type SealedValue } from '@complaints/service-kit';

/** A complainant's personal data in the clear: only ever in memory, never stored or published. */
export interface ClearPersonalData {
  name: string;
  contact: string;
  unit: string;
}

/** The personal data as stored: one sealed value per complaint (not one per field), so a rotation re-seals a record in one write. */
export type { SealedValue };

/**
 * The configured keys (`PERSONAL_DATA_KEYS`), which of them seals new values
 * (`PERSONAL_DATA_KEY_ID`), and the secret of the blind index (`PERSONAL_DATA_INDEX_SECRET`).
 */
export class PersonalDataKeyRing {
  private readonly sealer: Sealer;

  constructor(
    keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
    private readonly indexSecret: Buffer,
  ) {
    this.sealer = new Sealer(keys, currentKeyId, 'personal-data');
  }

  /** Keys besides the current one are configured: a rotation is under way. */
  get rotating(): boolean {
    return this.sealer.rotating;
  }

  /**
   * `boundTo` (the complaint id) is authenticated with the value: a sealed value copied onto
   * another complaint does not open there.
   */
  seal(boundTo: string, clear: ClearPersonalData): SealedValue {
    return this.sealer.seal(boundTo, JSON.stringify(clear));
  }

  /** Throws when the key is no longer configured or the value was tampered with. */
  open(boundTo: string, sealed: SealedValue): ClearPersonalData {
    return JSON.parse(this.sealer.open(boundTo, sealed)) as ClearPersonalData;
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
}

/** `+86 138-0013-8000` and `13800138000` are one complainant; so are `Zhang@Example.com` and `zhang@example.com`. */
export function normaliseContact(contact: string): string {
  const value = contact.trim().toLowerCase();
  if (value.includes('@') || value.startsWith('wechat:')) return value;
  const compact = value.replace(/[\s()-]/g, '');
  return /^\+861\d{10}$/.test(compact) ? compact.slice(3) : compact;
}
