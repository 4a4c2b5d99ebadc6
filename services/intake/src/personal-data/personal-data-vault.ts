import { Injectable, type Provider } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { maskComplainant, type ComplainantType } from '@complaints/domain';
import { IntakeConfig } from '../config';
import type { ComplainantRecord, ComplaintRecord } from '../complaints/complaint.schema';
import { PersonalDataKeyRing, type ClearPersonalData } from './key-ring';

export const keyRingProvider: Provider = {
  provide: PersonalDataKeyRing,
  inject: [IntakeConfig],
  useFactory: ({ personalData }: IntakeConfig) =>
    new PersonalDataKeyRing(personalData.keys, personalData.currentKeyId, personalData.indexSecret),
};

/**
 * Where a complaint's personal data is sealed and opened. Everything intake answers goes through
 * `masked` (SPEC §9: masked unless revealed); `clear` is for the reveal and for notification's
 * contact at send time only.
 */
@Injectable()
export class PersonalDataVault {
  constructor(readonly ring: PersonalDataKeyRing) {}

  seal(
    groupId: string,
    complaintId: string,
    complainant: ClearPersonalData & { type: ComplainantType; anchorTenant: boolean },
  ): ComplainantRecord {
    const { name, contact, unit, type, anchorTenant } = complainant;
    return {
      type,
      anchorTenant,
      sealed: this.ring.seal(complaintId, { name, contact, unit }),
      key: this.ring.blindIndex(groupId, contact),
      erasedAt: null,
    };
  }

  /** The clear values; null once erased. */
  clear(record: Pick<ComplaintRecord, '_id' | 'complainant'>): ClearPersonalData | null {
    const sealed = record.complainant.sealed;
    return sealed ? this.ring.open(record._id, sealed) : null;
  }

  /** The complainant as every response shows it: masked, or empty once erased. */
  masked(record: Pick<ComplaintRecord, '_id' | 'complainant'>): v1.Complainant {
    const clear = this.clear(record) ?? { name: '', contact: '', unit: '' };
    return {
      ...maskComplainant(clear),
      type: record.complainant.type,
      anchorTenant: record.complainant.anchorTenant,
    };
  }
}
