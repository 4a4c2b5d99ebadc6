import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ApiKeyRecord } from './api-key.schema';

const DUPLICATE_KEY = 11000;

/**
 * Every read and write names the group, except the one lookup authentication needs: there the
 * group is what the key is about to tell us.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(ApiKeyRecord.name) private readonly keys: Model<ApiKeyRecord>) {}

  async insert(record: ApiKeyRecord): Promise<void> {
    await this.keys.create(record);
  }

  async listByGroup(groupId: string): Promise<ApiKeyRecord[]> {
    return this.keys.find({ groupId }).sort({ createdAt: 1, _id: 1 }).lean<ApiKeyRecord[]>();
  }

  async findInGroup(groupId: string, keyId: string): Promise<ApiKeyRecord | null> {
    return this.keys.findOne({ _id: keyId, groupId }).lean<ApiKeyRecord>();
  }

  /** Marks the key revoked unless it already is; the first revocation time stands. */
  async revoke(groupId: string, keyId: string, at: Date): Promise<void> {
    await this.keys.updateOne({ _id: keyId, groupId, revokedAt: null }, { $set: { revokedAt: at } });
  }

  async findForAuthentication(keyId: string): Promise<ApiKeyRecord | null> {
    return this.keys.findById(keyId).lean<ApiKeyRecord>();
  }

  /** Sets lastUsedAt unless another request (or gateway replica) did so after `notSince`. */
  async recordUse(keyId: string, at: Date, notSince: Date): Promise<void> {
    await this.keys.updateOne(
      { _id: keyId, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: notSince } }] },
      { $set: { lastUsedAt: at } },
    );
  }

  /**
   * Creates or updates a key by id (the bootstrap key): the environment decides its secret,
   * group and admin flag. A revocation stands, so a compromised bootstrap key stays dead
   * across restarts; configure a new key (a new key id) to replace it.
   */
  async upsert(
    record: Pick<ApiKeyRecord, '_id' | 'name' | 'groupId' | 'secretHash' | 'admin' | 'createdAt'>,
  ): Promise<ApiKeyRecord> {
    const { _id, createdAt, name, ...decided } = record;
    const update = {
      $set: { ...decided, propertyIds: null },
      $setOnInsert: { name, createdAt, lastUsedAt: null, revokedAt: null },
    };
    try {
      await this.keys.updateOne({ _id }, update, { upsert: true });
    } catch (error) {
      // Two replicas starting together both tried to insert; the loser updates what the winner created.
      if (!isDuplicateKey(error)) throw error;
      await this.keys.updateOne({ _id }, update);
    }
    const stored = await this.keys.findById(_id).lean<ApiKeyRecord>();
    if (!stored) throw new Error(`API key ${_id} vanished right after its upsert`);
    return stored;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;
}
