import { Injectable } from '@nestjs/common';
import { PersonalDataVault } from '../../personal-data/personal-data-vault';
import { ComplaintsRepository } from '../complaints.repository';

/**
 * The complainant's own view finds a complaint by what the complainant holds: the number they
 * were told and the contact they gave. Only the last four digits are asked (what a masked phone
 * shows anyway); the gateway limits how often a number may be tried.
 */
@Injectable()
export class FindForComplainant {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly vault: PersonalDataVault,
  ) {}

  /** The complaint's id; undefined when the number is unknown, the digits differ or the data was erased. */
  async execute(groupId: string, number: string, lastFour: string): Promise<string | undefined> {
    if (!/^\d{4}$/.test(lastFour) || number.trim() === '') return undefined;
    const complaint = await this.complaints.findByNumber(groupId, number.trim().toUpperCase());
    if (!complaint) return undefined;
    const clear = this.vault.clear(complaint);
    if (!clear) return undefined;
    return contactLastFour(clear.contact) === lastFour ? complaint._id : undefined;
  }
}

/** The last four digits of a contact (a phone; an e-mail address with digits in it); '' with fewer. */
export function contactLastFour(contact: string): string {
  const digits = contact.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : '';
}
