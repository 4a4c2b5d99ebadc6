/**
 * How personal data is shown by default (SPEC §9): enough to recognise it, not to use it.
 * The one place that decides a mask: intake answers every complaint through it, notification
 * records delivery addresses through it, so no view can forget to mask.
 */

/** Fields of the complainant that are personal data. */
export const PERSONAL_DATA_FIELDS = ['name', 'contact', 'unit'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

const EMAIL = /^([^\s@]+)@([^\s@]+\.[^\s@]+)$/;
// A mobile number, with or without a country code (+86 13800138000, 13800138000, 138-0013-8000).
const PHONE = /^\+?[\d\s-]{6,20}$/;

/** `张三` → `张*`, `欧阳娜娜` → `欧***`: the first character only. */
export function maskName(name: string): string {
  const characters = Array.from(name.trim());
  if (characters.length === 0) return '';
  return characters[0] + '*'.repeat(Math.max(1, characters.length - 1));
}

/** `13800138000` → `138****8000`; `+8613800138000` → `+86138****8000`. */
export function maskPhone(phone: string): string {
  const compact = phone.trim().replace(/[\s-]/g, '');
  const country = /^\+86(?=1\d{10}$)/.exec(compact)?.[0] ?? '';
  const digits = compact.slice(country.length);
  if (digits.length < 8) return '*'.repeat(digits.length || 4);
  return `${country}${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** `zhang@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const match = EMAIL.exec(email.trim());
  if (!match) return '***';
  return `${Array.from(match[1])[0]}***@${match[2]}`;
}

/** A contact as intake stores it: a phone number, an email address, or `wechat:<openid>`. */
export function maskContact(contact: string): string {
  const value = contact.trim();
  if (value === '') return '';
  if (EMAIL.test(value)) return maskEmail(value);
  if (value.startsWith('wechat:')) {
    const openId = value.slice('wechat:'.length);
    return `wechat:${openId.slice(0, 2)}***${openId.length > 6 ? openId.slice(-2) : ''}`;
  }
  if (PHONE.test(value)) return maskPhone(value);
  // Anything else (a landline with an extension, a note): its first character.
  return maskName(value);
}

/** `L2-15` → `L2***`, `3栋1202` → `3栋****`: the building or floor, not the door. */
export function maskUnit(unit: string): string {
  const characters = Array.from(unit.trim());
  if (characters.length === 0) return '';
  const kept = characters.length > 3 ? 2 : 1;
  return characters.slice(0, kept).join('') + '*'.repeat(characters.length - kept);
}

export function maskComplainant<T extends { name: string; contact: string; unit: string }>(complainant: T): T {
  return {
    ...complainant,
    name: maskName(complainant.name),
    contact: maskContact(complainant.contact),
    unit: maskUnit(complainant.unit),
  };
}
