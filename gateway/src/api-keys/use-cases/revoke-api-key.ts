import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import type { Caller } from '../../auth/caller';
import { ApiKeysRepository } from '../api-keys.repository';

@Injectable()
export class RevokeApiKey {
  constructor(private readonly keys: ApiKeysRepository) {}

  /**
   * Revokes a key of the caller's group; this replica refuses it from the next request on, the
   * others within KEY_RECORD_REUSE_MS (when they read the record again). Revoking twice is
   * harmless.
   */
  async execute(caller: Caller, keyId: string): Promise<void> {
    const key = await this.keys.findInGroup(caller.groupId, keyId);
    if (!key) throw new NotFoundError(`API key ${keyId}`);
    await this.keys.revoke(caller.groupId, keyId, new Date());
  }
}
