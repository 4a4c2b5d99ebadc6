import { Injectable } from '@nestjs/common';
import { grantRefusal } from '../../access/acting-for-staff';
import type { Caller } from '../../auth/caller';
import { ValidationProblem } from '../../problems/errors';
import { generateApiKey, hashApiKey } from '../api-key-secret';
import type { ApiKeyRecord } from '../api-key.schema';
import { ApiKeysRepository } from '../api-keys.repository';
import { creatorOf } from '../key-scope';
import type { CreateApiKeyBody } from '../api-key.views';

@Injectable()
export class CreateApiKey {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** Creates a key in the caller's group; returns the record and the key, which is never stored. */
  async execute(caller: Caller, input: CreateApiKeyBody): Promise<{ record: ApiKeyRecord; apiKey: string }> {
    const propertyIds = input.propertyIds ? [...new Set(input.propertyIds)] : null;
    // An admin key limited to some properties cannot mint a key that sees more than it does.
    if (caller.kind === 'partner' && caller.propertyIds !== null) {
      const allowed = new Set(caller.propertyIds);
      if (propertyIds === null || propertyIds.some((propertyId) => !allowed.has(propertyId)))
        throw new ValidationProblem([
          { name: 'propertyIds', reason: 'must be within the properties of the API key that creates it' },
        ]);
    }
    const granted = input.actsFor ?? null;
    const refusal = grantRefusal(caller.kind === 'staff' ? 'staff' : caller, { propertyIds, actsFor: granted });
    if (refusal) throw new ValidationProblem([refusal]);
    const { keyId, apiKey } = generateApiKey();
    const record: ApiKeyRecord = {
      _id: keyId,
      name: input.name,
      groupId: caller.groupId,
      propertyIds,
      admin: input.admin,
      actsFor: granted,
      secretHash: hashApiKey(apiKey),
      createdAt: new Date(),
      createdBy: creatorOf(caller),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.keys.insert(record);
    return { record, apiKey };
  }
}
