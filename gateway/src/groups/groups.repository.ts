import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DomainError } from '@complaints/service-kit';
import { GroupRecord } from './group.schema';

const DUPLICATE_KEY = 11000;

/**
 * How long a replica reuses a group's record for requests: every request needs its status. A
 * suspension takes effect at once on the replica that made it and within this long on the others,
 * like a revoked key (KEY_RECORD_REUSE_MS).
 */
export const GROUP_RECORD_REUSE_MS = 5_000;

/** Group records kept at most per replica. */
const REMEMBERED_GROUPS = 10_000;

@Injectable()
export class GroupsRepository {
  private readonly byId = new Map<string, { at: number; record: Promise<GroupRecord | null> }>();
  private readonly byIssuer = new Map<string, { at: number; records: Promise<GroupRecord[]> }>();

  private readonly logger = new Logger(GroupsRepository.name);
  /** The identity providers' origins, for the console's Content-Security-Policy. */
  private origins: { at: number; value: readonly string[] } = { at: Number.NEGATIVE_INFINITY, value: [] };
  private refreshingOrigins: Promise<void> | undefined;

  constructor(@InjectModel(GroupRecord.name) private readonly groups: Model<GroupRecord>) {}

  /**
   * Every origin staff of some group sign in at, as last read; read again in the background when
   * older than GROUP_RECORD_REUSE_MS, so a page is never held up by it.
   */
  issuerOrigins(): readonly string[] {
    if (Date.now() - this.origins.at > GROUP_RECORD_REUSE_MS) void this.refreshOrigins();
    return this.origins.value;
  }

  /** Reads them now (after a change here, and at start-up once the environment's groups are stored). */
  refreshOrigins(): Promise<void> {
    this.refreshingOrigins ??= this.groups
      .find({ issuerUrl: { $ne: null } }, { issuerUrl: 1 })
      .lean<{ issuerUrl: string }[]>()
      .then((groups) => {
        this.origins = { at: Date.now(), value: [...new Set(groups.map((group) => new URL(group.issuerUrl).origin))] };
      })
      .catch((error: unknown) => this.logger.warn(`could not read the identity providers: ${String(error)}`))
      .finally(() => (this.refreshingOrigins = undefined));
    return this.refreshingOrigins;
  }

  async insert(record: GroupRecord): Promise<void> {
    try {
      await this.groups.create(record);
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainError('conflict', `group ${record._id} already exists (or existed)`);
      throw error;
    }
    this.forget(record);
  }

  async list(): Promise<GroupRecord[]> {
    return this.groups.find().sort({ createdAt: 1, _id: 1 }).lean<GroupRecord[]>();
  }

  async get(groupId: string): Promise<GroupRecord | null> {
    return this.groups.findById(groupId).lean<GroupRecord>();
  }

  /** Stores the record as given; answers the one it replaced (for the audit). */
  async replace(record: GroupRecord): Promise<GroupRecord | null> {
    const before = await this.get(record._id);
    await this.groups.replaceOne({ _id: record._id }, record, { upsert: true });
    if (before) this.forget(before);
    this.forget(record);
    return before;
  }

  /** The record for a request (reused briefly); null for a group that has none. */
  async forRequest(groupId: string, now = Date.now()): Promise<GroupRecord | null> {
    const cached = this.byId.get(groupId);
    if (cached && now - cached.at < GROUP_RECORD_REUSE_MS) return cached.record;
    const record = this.get(groupId);
    // The console's public config.json asks by any id it is given: a flood of made-up ids must
    // not grow this without bound.
    if (this.byId.size >= REMEMBERED_GROUPS) this.byId.clear();
    this.byId.set(groupId, { at: now, record });
    record.catch(() => this.byId.delete(groupId));
    return record;
  }

  /** The groups whose staff sign in at an issuer (reused briefly). */
  async withIssuer(issuerUrl: string, options: { fresh?: boolean } = {}): Promise<GroupRecord[]> {
    const now = Date.now();
    const cached = this.byIssuer.get(issuerUrl);
    if (!options.fresh && cached && now - cached.at < GROUP_RECORD_REUSE_MS) return cached.records;
    const records = this.groups.find({ issuerUrl }).lean<GroupRecord[]>().exec();
    if (this.byIssuer.size > 1_000) this.byIssuer.clear();
    this.byIssuer.set(issuerUrl, { at: now, records });
    records.catch(() => this.byIssuer.delete(issuerUrl));
    return records;
  }

  private forget(record: GroupRecord): void {
    this.byId.delete(record._id);
    if (record.issuerUrl) this.byIssuer.delete(record.issuerUrl);
    this.origins = { ...this.origins, at: Number.NEGATIVE_INFINITY };
    void this.refreshOrigins();
  }
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY;
}
