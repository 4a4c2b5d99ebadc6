import { Injectable } from '@nestjs/common';
import type { Caller } from '../../auth/caller';
import type { ApiKeyRecord } from '../api-key.schema';
import { ApiKeysRepository } from '../api-keys.repository';

@Injectable()
export class ListApiKeys {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** Every key of the caller's group, revoked ones included (who had access, and until when). */
  async execute(caller: Caller): Promise<ApiKeyRecord[]> {
    return this.keys.listByGroup(caller.groupId);
  }
}
