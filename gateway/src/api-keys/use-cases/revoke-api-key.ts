import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import type { Caller } from '../../auth/caller';
import { status } from '@grpc/grpc-js';
import { NotificationClient } from '../../grpc/grpc-clients';
import { ForbiddenError } from '../../problems/errors';
import { isGrpcError } from '../../problems/to-problem';
import { ApiKeysRepository } from '../api-keys.repository';
import { managesKey } from '../key-scope';

/** Deeper than any real chain of keys making keys: a loop in the records stops here. */
const MAX_ANCESTORS = 100;

@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly notification: NotificationClient,
  ) {}

  /**
   * Revokes a key of the caller's group; this replica refuses it from the next request on, the
   * others within KEY_RECORD_REUSE_MS (when they read the record again), and its webhook
   * subscriptions are removed. Revoking twice is harmless.
   */
  async execute(caller: Caller, keyId: string): Promise<void> {
    const key = await this.keys.findInGroup(caller.groupId, keyId);
    // A key outside the caller's scope is as absent as one of another group.
    if (!key || !managesKey(caller, key)) throw new NotFoundError(`API key ${keyId}`);
    if (caller.kind === 'partner' && (await this.descendsFrom(caller.groupId, caller.keyId, keyId))) {
      throw new ForbiddenError('an API key cannot revoke the key that made it, nor any key that key descends from');
    }
    await this.keys.revoke(caller.groupId, keyId, new Date());
    // Nothing more is posted for a revoked key. Notification away: the revocation stands and
    // the call fails (503); revoking again stops them.
    if (key.subscribes) await this.stopSubscriptions(caller.groupId, keyId);
  }

  private async stopSubscriptions(groupId: string, keyId: string): Promise<void> {
    const { subscriptions } = await this.notification.call.listSubscriptions({ groupId, keyId });
    for (const subscription of subscriptions) {
      await this.notification.call
        .deleteSubscription({ groupId, id: subscription.id, keyId })
        .catch((error: unknown) => {
          // Removed meanwhile (by an admin, or a revocation at the same moment): what was wanted.
          if (!isGrpcError(error) || error.code !== Number(status.NOT_FOUND)) throw error;
        });
    }
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
