import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import type { Caller } from '../../auth/caller';
import { ApiKeysRepository } from '../api-keys.repository';

@Injectable()
export class RevokeApiKey {
  constructor(private readonly keys: ApiKeysRepository) {}

  /**
   * Revokes a key of the caller's group; it is refused from the next request on, because
   * authentication reads the record every time. Revoking twice is harmless.
   */
  async execute(caller: Caller, keyId: string): Promise<void> {
    const key = await this.keys.findInGroup(caller.groupId, keyId);
    if (!key) throw new NotFoundError(`API key ${keyId}`);
    await this.keys.revoke(caller.groupId, keyId, new Date());
  }
}
