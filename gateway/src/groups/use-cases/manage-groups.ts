import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { generateApiKey, hashApiKey } from '../../api-keys/api-key-secret';
import { ApiKeysRepository } from '../../api-keys/api-keys.repository';
import { NotificationClient } from '../../grpc/grpc-clients';
import { ValidationProblem } from '../../problems/errors';
import type { GroupRecord, GroupStatus, IdentityProvider } from '../group.schema';
import type { CreateGroupBody, UpdateGroupBody } from '../group.views';
import { GroupsRepository } from '../groups.repository';
import { sharedIssuerProblem } from '../identity-providers';

/** Who the platform operator's changes are recorded as. */
export const OPERATOR = 'operator';

/** A group's life as the platform operator runs it: created, changed, suspended, resumed, removed. */
@Injectable()
export class ManageGroups {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly notification: NotificationClient,
  ) {}

  async find(groupId: string): Promise<GroupRecord> {
    const record = await this.groups.get(groupId);
    if (!record) throw new NotFoundError(`group ${groupId}`);
    return record;
  }

  /** The group and its first admin key, which is shown once and never stored. */
  async create(body: CreateGroupBody, now = new Date()): Promise<{ record: GroupRecord; adminKey: string }> {
    await this.checkProvider(body.id, body.identityProvider);
    const record: GroupRecord = {
      _id: body.id,
      name: body.name,
      status: 'active',
      identityProvider: body.identityProvider,
      issuerUrl: body.identityProvider?.issuerUrl ?? null,
      createdAt: now,
      createdBy: OPERATOR,
      updatedAt: now,
    };
    await this.groups.insert(record);
    return { record, adminKey: await this.issueAdminKey(record._id, body.firstAdminKeyName, now) };
  }

  /**
   * Another admin key for the group (its administrator lost theirs). A create whose key was lost
   * on the way (the answer never arrived) ends the same way: the operator asks for another.
   */
  async issueAdminKey(groupId: string, name: string, now = new Date()): Promise<string> {
    const group = await this.find(groupId);
    if (group.status !== 'active') throw new DomainError('failed_precondition', `group ${groupId} is ${group.status}`);
    const { keyId, apiKey } = generateApiKey();
    await this.keys.insert({
      _id: keyId,
      name,
      groupId,
      propertyIds: null,
      admin: true,
      actsFor: null,
      secretHash: hashApiKey(apiKey),
      createdAt: now,
      createdBy: OPERATOR,
      lastUsedAt: null,
      revokedAt: null,
    });
    return apiKey;
  }

  async update(
    groupId: string,
    body: UpdateGroupBody,
    now = new Date(),
  ): Promise<{ before: GroupRecord; after: GroupRecord }> {
    const before = await this.find(groupId);
    if (before.status === 'removed') throw new DomainError('failed_precondition', `group ${groupId} was removed`);
    const identityProvider = body.identityProvider === undefined ? before.identityProvider : body.identityProvider;
    await this.checkProvider(groupId, identityProvider);
    const after: GroupRecord = {
      ...before,
      name: body.name ?? before.name,
      identityProvider,
      issuerUrl: identityProvider?.issuerUrl ?? null,
      updatedAt: now,
    };
    await this.groups.replace(after);
    return { before, after };
  }

  /**
   * Suspended: every key and sign-in of the group is refused (so nothing is registered) and
   * notification tells nobody; lifecycles keep their clocks and all data is kept. Notification
   * hears first, so a failure leaves the group as it was and the operator may simply retry.
   */
  async suspend(groupId: string, now = new Date()) {
    return this.setStatus(groupId, 'suspended', ['active', 'suspended'], now);
  }

  async resume(groupId: string, now = new Date()) {
    return this.setStatus(groupId, 'active', ['active', 'suspended'], now);
  }

  /**
   * Only a suspended group may be removed: its keys are revoked and its sign-in dropped; its id
   * is never reused. Its records stay in the services until their retention ends.
   */
  async remove(groupId: string, now = new Date()) {
    const result = await this.setStatus(groupId, 'removed', ['suspended', 'removed'], now);
    await this.keys.revokeAllOfGroup(groupId, now);
    return result;
  }

  private async setStatus(
    groupId: string,
    status: GroupStatus,
    from: readonly GroupStatus[],
    now: Date,
  ): Promise<{ before: GroupRecord; after: GroupRecord }> {
    const before = await this.find(groupId);
    if (!from.includes(before.status))
      throw new DomainError(
        'failed_precondition',
        status === 'removed'
          ? `group ${groupId} is ${before.status}: suspend it before removing it`
          : `group ${groupId} was removed`,
      );
    await this.notification.call.setGroupSuspended({ groupId, suspended: status !== 'active' });
    if (before.status === status) return { before, after: before };
    const after: GroupRecord =
      status === 'removed'
        ? { ...before, status, identityProvider: null, issuerUrl: null, updatedAt: now }
        : { ...before, status, updatedAt: now };
    await this.groups.replace(after);
    return { before, after };
  }

  private async checkProvider(groupId: string, provider: IdentityProvider | null): Promise<void> {
    if (!provider) return;
    const problem = sharedIssuerProblem(
      groupId,
      provider,
      await this.groups.withIssuer(provider.issuerUrl, { fresh: true }),
    );
    if (problem) throw new ValidationProblem([problem]);
  }
}
