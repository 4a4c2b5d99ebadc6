import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import type { Caller } from '../../auth/caller';
import { ForbiddenError } from '../../problems/errors';
import { ApiKeysRepository } from '../api-keys.repository';
import { managesKey } from '../key-scope';

/** Deeper than any real chain of keys making keys: a loop in the records stops here. */
const MAX_ANCESTORS = 100;

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
    // A key outside the caller's scope is as absent as one of another group.
    if (!key || !managesKey(caller, key)) throw new NotFoundError(`API key ${keyId}`);
    if (caller.kind === 'partner' && (await this.descendsFrom(caller.groupId, caller.keyId, keyId))) {
      throw new ForbiddenError('an API key cannot revoke the key that made it, nor any key that key descends from');
    }
    await this.keys.revoke(caller.groupId, keyId, new Date());
  }

  /** Whether `ancestorId` made `keyId`, or made a key that made it, and so on. */
  private async descendsFrom(groupId: string, keyId: string, ancestorId: string): Promise<boolean> {
    let current = (await this.keys.findInGroup(groupId, keyId))?.createdBy ?? '';
    for (let depth = 0; current !== '' && !current.startsWith('staff:') && depth < MAX_ANCESTORS; depth++) {
      if (current === ancestorId) return true;
      current = (await this.keys.findInGroup(groupId, current))?.createdBy ?? '';
    }
    return false;
  }
}
