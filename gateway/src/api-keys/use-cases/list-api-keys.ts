import { Injectable } from '@nestjs/common';
import type { Caller } from '../../auth/caller';
import type { ApiKeyRecord } from '../api-key.schema';
import { ApiKeysRepository } from '../api-keys.repository';
import { managesKey } from '../key-scope';

@Injectable()
export class ListApiKeys {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** The keys of the caller's group it manages, revoked ones included (who had access, and until when). */
  async execute(caller: Caller): Promise<ApiKeyRecord[]> {
    return (await this.keys.listByGroup(caller.groupId)).filter((key) => managesKey(caller, key));
  }
}
