import { Injectable, Logger } from '@nestjs/common';
import { ComplaintsRepository } from '../../complaints/complaints.repository';
import { IntakeConfig } from '../../config';
import { PersonalDataKeyRing } from '../key-ring';
import { ErasePersonalData } from './erase-personal-data';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The two background passes over stored personal data. Both work in batches and only through
 * conditional single-document writes, so they are idempotent and safe on several replicas at once.
 */
@Injectable()
export class MaintainPersonalData {
  private readonly logger = new Logger(MaintainPersonalData.name);

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly ring: PersonalDataKeyRing,
    private readonly erase: ErasePersonalData,
    private readonly config: IntakeConfig,
  ) {}

  /**
   * Retention: erases the personal data of complaints closed or withdrawn longer than the
   * retention period ago; their facts (category, times, property …) stay for the reports.
   * Resolves how many it erased.
   */
  async retentionPass(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.personalData.retentionDays * DAY_MS);
    let erased = 0;
    for (;;) {
      const due = await this.complaints.dueForRetention(cutoff, this.config.personalData.batchSize);
      let changed = 0;
      for (const complaint of due) {
        if (await this.erase.eraseComplaint(complaint.groupId, complaint._id, 'retention')) changed++;
      }
      erased += changed;
      // A batch another replica emptied first changes nothing here: stop rather than spin.
      if (due.length < this.config.personalData.batchSize || changed === 0) return erased;
    }
  }

  /**
   * Migration: seals the complainant of records stored in the clear before sealing existed, and
   * gives them their blind index. Runs before the re-encryption pass at start-up.
   */
  async sealPass(): Promise<number> {
    let sealed = 0;
    for (;;) {
      const batch = await this.complaints.withPlaintextComplainant(this.config.personalData.batchSize);
      let changed = 0;
      for (const record of batch) {
        const { name = '', contact, unit = '' } = record.complainant;
        const value = this.ring.seal(record._id, { name, contact, unit });
        const key = this.ring.blindIndex(record.groupId, contact);
        if (await this.complaints.sealPlaintext(record, value, key)) changed++;
      }
      sealed += changed;
      if (batch.length < this.config.personalData.batchSize || changed === 0) {
        if (sealed > 0) this.logger.log(`sealed the personal data of ${sealed} complaints stored in the clear`);
        return sealed;
      }
    }
  }

  /**
   * Rotation: re-seals values still under an older key with the current one, so the older key
   * can then be removed from PERSONAL_DATA_KEYS. Resolves how many it re-sealed.
   */
  async reencryptPass(): Promise<number> {
    let resealed = 0;
    for (;;) {
      const batch = await this.complaints.sealedWithOtherKey(
        this.ring.currentKeyId,
        this.config.personalData.batchSize,
      );
      let changed = 0;
      for (const complaint of batch) {
        const sealed = complaint.complainant.sealed;
        if (!sealed) continue;
        const clear = this.ring.open(complaint._id, sealed);
        const next = this.ring.seal(complaint._id, clear);
        if (await this.complaints.replaceSealed(complaint.groupId, complaint._id, sealed, next)) changed++;
      }
      resealed += changed;
      if (batch.length < this.config.personalData.batchSize || changed === 0) {
        if (resealed > 0) this.logger.log(`re-sealed ${resealed} complaints with key ${this.ring.currentKeyId}`);
        return resealed;
      }
    }
  }
}
