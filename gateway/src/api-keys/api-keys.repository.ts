import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import type { Model } from 'mongoose';
import { ApiKeyRecord } from './api-key.schema';

const DUPLICATE_KEY = 11000;

/**
 * How long a replica authenticates a key from the record it read, without reading it again:
 * a partner's every request would otherwise cost a store round trip. A revocation takes effect
 * at once on the replica that revoked, and within this long on the others.
 */
export const KEY_RECORD_REUSE_MS = 5_000;

/** Keys remembered at most; a flood of unknown key ids must not grow the process. */
const REMEMBERED_KEYS = 1_000;

/**
 * Every read and write names the group, except the one lookup authentication needs: there the
 * group is what the key is about to tell us.
 */
@Injectable()
export class ApiKeysRepository {
  /** Records read for authentication, with when they were read; unknown ids are not kept. */
  private readonly remembered = new LRUCache<string, { record: ApiKeyRecord; readAt: number }>({
    max: REMEMBERED_KEYS,
  });

  /** Reads under way: requests arriving together when a record is due share one read. */
  private readonly reading = new Map<string, Promise<ApiKeyRecord | null>>();

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

  /** Notes that the key has (or is about to have) webhook subscriptions. */
  async markSubscribes(groupId: string, keyId: string): Promise<void> {
    await this.keys.updateOne({ _id: keyId, groupId, subscribes: { $ne: true } }, { $set: { subscribes: true } });
  }

  /** Marks the key revoked unless it already is; the first revocation time stands. */
  async revoke(groupId: string, keyId: string, at: Date): Promise<void> {
    this.forget(keyId);
    await this.keys.updateOne({ _id: keyId, groupId, revokedAt: null }, { $set: { revokedAt: at } });
    this.forget(keyId);
  }

  /** Every key of a removed group; answers how many were still valid. */
  async revokeAllOfGroup(groupId: string, at: Date): Promise<number> {
    const valid = await this.keys.find({ groupId, revokedAt: null }, { _id: 1 }).lean<{ _id: string }[]>();
    for (const { _id } of valid) await this.revoke(groupId, _id, at);
    return valid.length;
  }

  /** Drops what this replica knows of the key, and what a read under way would bring. */
  private forget(keyId: string): void {
    this.remembered.delete(keyId);
    this.reading.delete(keyId);
  }

  /** The record as read at most {@link KEY_RECORD_REUSE_MS} ago by this replica. */
  async findForAuthentication(keyId: string, now = Date.now()): Promise<ApiKeyRecord | null> {
    const known = this.remembered.get(keyId);
    if (known && now - known.readAt < KEY_RECORD_REUSE_MS) return known.record;
    const underWay = this.reading.get(keyId);
    if (underWay) return underWay;
    const read: Promise<ApiKeyRecord | null> = this.keys
      .findById(keyId)
      .lean<ApiKeyRecord>()
      .then((record) => {
        // Revoked or replaced while it was read: the record read may be older than that.
        if (this.reading.get(keyId) !== read) return record;
        if (record) this.remembered.set(keyId, { record, readAt: now });
        else this.remembered.delete(keyId);
        return record;
      })
      .finally(() => {
        if (this.reading.get(keyId) === read) this.reading.delete(keyId);
      });
    this.reading.set(keyId, read);
    return read;
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
    this.forget(_id);
    const stored = await this.keys.findById(_id).lean<ApiKeyRecord>();
    if (!stored) throw new Error(`API key ${_id} vanished right after its upsert`);
    return stored;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;
}
