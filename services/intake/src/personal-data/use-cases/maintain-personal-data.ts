import { Injectable, Logger } from '@nestjs/common';
import { ComplaintsRepository } from '../../complaints/complaints.repository';
import { MaintenanceStates } from '../../complaints/maintenance-state';
import { endOfHour, hourOf, nextHour, RetentionSchedule } from '../../complaints/retention-schedule';
import { IntakeConfig } from '../../config';
import { PersonalDataKeyRing } from '../key-ring';
import { ErasePersonalData } from './erase-personal-data';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The maintenance state of the sealing migration: `done` once a pass found nothing in the clear. */
const SEALING = 'seal-plaintext';

/**
 * The background passes over stored personal data. Each write is decided on the record as read,
 * by `_id`, so they are idempotent and safe on several replicas at once. Retention runs every
 * interval and reads only what fell due. Sealing and re-encryption read every complaint, so they
 * run at start-up only, and only while there can be work for them (see startUpPasses).
 */
@Injectable()
export class MaintainPersonalData {
  private readonly logger = new Logger(MaintainPersonalData.name);

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly ring: PersonalDataKeyRing,
    private readonly erase: ErasePersonalData,
    private readonly retention: RetentionSchedule,
    private readonly states: MaintenanceStates,
    private readonly config: IntakeConfig,
  ) {}

  /**
   * The passes a starting process owes, without reading every complaint at every start:
   * - sealing, until a pass finds nothing in the clear. This version never writes the clear, but
   *   an older replica still running during the upgrade might; so the pass is marked done only
   *   when it sealed nothing, and a pass that sealed something runs again at the next start.
   * - re-encryption, only while keys other than the current one are configured (a rotation: the
   *   operator adds the new key as current, restarts, then removes the old key). With one key
   *   configured there is nothing it could re-seal: a value under a key no longer configured
   *   cannot be opened at all.
   */
  async startUpPasses(): Promise<{ sealed: number | 'skipped'; resealed: number | 'skipped' }> {
    let sealed: number | 'skipped' = 'skipped';
    if ((await this.states.through(SEALING)) !== 'done') {
      sealed = await this.sealPass();
      if (sealed === 0) await this.states.setThrough(SEALING, 'done');
    }
    const resealed = this.ring.rotating ? await this.reencryptPass() : 'skipped';
    return { sealed, resealed };
  }

  /**
   * Retention: erases the personal data of complaints closed or withdrawn longer than the
   * retention period ago; their facts (category, times, property …) stay for the reports.
   * Proportional to what fell due, not to what is stored: it reads the hours of closes
   * (RetentionSchedule) from the last one done through the hour the period ends in, and each
   * complaint named there by `_id`. Resolves how many it erased.
   */
  async retentionPass(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.personalData.retentionDays * DAY_MS);
    const done = (await this.retention.doneThrough()) ?? (await this.recordEarlierCloses(cutoff));
    let erased = 0;
    let through = done;
    for (let hour = nextHour(done); endOfHour(hour) <= cutoff; hour = nextHour(hour)) {
      const closed = await this.retention.closedIn(hour);
      for (const complaintId of closed) {
        if (await this.eraseIfDue(complaintId, cutoff)) erased++;
      }
      through = hour;
      // Every close of this hour is handled: a later pass (or another replica) starts after it.
      if (closed.length > 0) await this.retention.markDoneThrough(hour);
    }
    if (through !== done) await this.retention.markDoneThrough(through);
    // The hour the cutoff falls in is due in part: what closed before the cutoff goes now, the
    // rest on a later pass (the hour is read again until it is whole, never marked done early).
    const partial = hourOf(cutoff);
    if (partial > through) {
      for (const complaintId of await this.retention.closedIn(partial)) {
        if (await this.eraseIfDue(complaintId, cutoff)) erased++;
      }
    }
    return erased;
  }

  private async eraseIfDue(complaintId: string, cutoff: Date): Promise<boolean> {
    const complaint = await this.complaints.findByIdInAnyGroup(complaintId);
    // Reopened since (a later close is recorded under its own hour), or erased already.
    if (!complaint || !['closed', 'withdrawn'].includes(complaint.status) || complaint.complainant.erasedAt) {
      return false;
    }
    const closedAt = complaint.closedAt ?? complaint.updatedAt;
    if (!closedAt || new Date(closedAt).getTime() >= cutoff.getTime()) return false;
    return this.erase.eraseComplaint(complaint.groupId, complaint._id, 'retention');
  }

  /**
   * The first pass on a database: complaints closed before closes were recorded by the hour are
   * found by one query (the only pass over all complaints, once per database) and recorded;
   * the pass then starts at the earliest of them.
   */
  private async recordEarlierCloses(cutoff: Date): Promise<string> {
    const closed = await this.complaints.closedNotErased();
    const byHour = new Map<string, string[]>();
    for (const { _id, closedAt } of closed) {
      // No close time at all: due from now on.
      const hour = hourOf(closedAt ?? new Date(cutoff.getTime() - 60 * 60 * 1000));
      byHour.set(hour, [...(byHour.get(hour) ?? []), _id]);
    }
    for (const [hour, ids] of byHour) await this.retention.recordClosed(ids, new Date(`${hour}:00:00.000Z`));
    const first = [...byHour.keys(), hourOf(cutoff)].sort()[0];
    const start = hourOf(new Date(Date.parse(`${first}:00:00.000Z`) - 60 * 60 * 1000));
    await this.retention.startAt(start);
    return (await this.retention.doneThrough()) ?? start;
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
