import { Injectable, Logger } from '@nestjs/common';
import type { PartnerCaller } from '../../auth/caller';
import { UnauthenticatedError } from '../../problems/errors';
import { apiKeyMatches, keyIdOf } from '../api-key-secret';
import { ApiKeysRepository } from '../api-keys.repository';

/** lastUsedAt is for people auditing keys; minute resolution spares a write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class AuthenticateApiKey {
  private readonly logger = new Logger(AuthenticateApiKey.name);
  /** When this replica last wrote lastUsedAt, per key. */
  private readonly lastRecorded = new Map<string, number>();

  constructor(private readonly keys: ApiKeysRepository) {}

  /**
   * The caller a presented key stands for. The record is read again after a few seconds (see
   * KEY_RECORD_REUSE_MS), so a revocation takes effect within them on every replica. Unknown,
   * mismatching and revoked keys are refused alike, so the answer does not tell which key ids
   * exist.
   */
  async execute(apiKey: string, now = new Date()): Promise<PartnerCaller> {
    const keyId = keyIdOf(apiKey);
    const record = keyId ? await this.keys.findForAuthentication(keyId) : null;
    if (!record || !apiKeyMatches(apiKey, record.secretHash) || record.revokedAt)
      throw new UnauthenticatedError('the API key is unknown or revoked');
    await this.recordUse(record._id, now);
    return {
      kind: 'partner',
      keyId: record._id,
      keyName: record.name,
      groupId: record.groupId,
      propertyIds: record.propertyIds ?? null,
      admin: record.admin,
      actsFor: record.actsFor ?? null,
    };
  }

  private async recordUse(keyId: string, now: Date): Promise<void> {
    const last = this.lastRecorded.get(keyId);
    if (last !== undefined && now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastRecorded.set(keyId, now.getTime());
    try {
      await this.keys.recordUse(keyId, now, new Date(now.getTime() - LAST_USED_RESOLUTION_MS));
    } catch (error) {
      // Bookkeeping only: a failed write must not refuse a request that authenticated.
      this.logger.warn(`could not record the use of API key ${keyId}: ${String(error)}`);
    }
  }
}
