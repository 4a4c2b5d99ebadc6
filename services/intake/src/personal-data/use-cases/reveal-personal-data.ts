import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PERSONAL_DATA_FIELDS } from '@complaints/domain';
import { DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';
import { ComplaintsRepository } from '../../complaints/complaints.repository';
import type { ClearPersonalData } from '../key-ring';
import { PersonalDataVault } from '../personal-data-vault';
import { decodeCursor, encodeCursor } from '../../paging';
import type { AccessLogRecord } from '../personal-data.schema';
import { PersonalDataRepository, type AccessLogFilter } from '../personal-data.repository';

type Actor = { kind: string; id: string; name: string };

/** A reason an auditor can read later: not a placeholder. */
export const MIN_REASON_LENGTH = 4;

const revealInput = z.object({
  fields: z
    .array(z.enum(PERSONAL_DATA_FIELDS))
    .min(1, 'name at least one of name, contact, unit')
    .transform((fields) => [...new Set(fields)]),
  reason: z.string().trim().min(MIN_REASON_LENGTH, `at least ${MIN_REASON_LENGTH} characters`).max(1_000),
  actor: z.object({ kind: z.string().min(1), id: z.string().min(1), name: z.string() }),
});

/** Reading personal data in the clear; the gateway decides who may, intake records that they did. */
@Injectable()
export class RevealPersonalData {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly vault: PersonalDataVault,
    private readonly log: PersonalDataRepository,
  ) {}

  /**
   * The access-log entry is written before anything is answered: a view that cannot be logged
   * does not happen (SPEC §9: every view of unmasked data is logged).
   */
  async reveal(
    groupId: string,
    complaintId: string,
    input: { fields: string[]; reason: string; actor: Actor },
  ): Promise<{ values: Partial<ClearPersonalData>; entry: AccessLogRecord }> {
    const checked = revealInput.safeParse(input);
    if (!checked.success) throw invalidArgument('reveal', checked.error.issues);
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    if (!complaint.complainant.sealed) {
      throw new DomainError('failed_precondition', `the personal data of complaint ${complaintId} was erased`);
    }
    const entry: AccessLogRecord = {
      _id: randomUUID(),
      groupId,
      at: new Date(),
      actor: checked.data.actor,
      complaintId,
      complaintNumber: complaint.number,
      fields: checked.data.fields,
      reason: checked.data.reason,
    };
    await this.log.logAccess(entry);
    const clear = this.vault.clear(complaint);
    const values: Partial<ClearPersonalData> = {};
    for (const field of checked.data.fields) values[field] = clear?.[field] ?? '';
    return { values, entry };
  }

  /**
   * The contact notification sends to, at send time (it keeps none). Service-to-service and not a
   * person's view, so not in the access log; null once erased.
   */
  async contactFor(groupId: string, complaintId: string): Promise<string | null> {
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    return this.vault.clear(complaint)?.contact ?? null;
  }

  async accessLog(
    groupId: string,
    filter: AccessLogFilter,
    page: { cursor?: string; limit: number },
  ): Promise<{ entries: AccessLogRecord[]; nextCursor?: string }> {
    const limit = Math.min(Math.max(page.limit || 50, 1), 200);
    const entries = await this.log.listAccess(
      groupId,
      filter,
      limit + 1,
      page.cursor ? decodeCursor(page.cursor) : undefined,
    );
    const more = entries.length > limit;
    const shown = entries.slice(0, limit);
    const last = shown[shown.length - 1];
    return { entries: shown, nextCursor: more && last ? encodeCursor(last.at, last._id) : undefined };
  }
}
