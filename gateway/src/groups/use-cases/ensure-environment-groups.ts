import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DomainError } from '@complaints/service-kit';
import { GatewayConfig } from '../../config';
import type { GroupRecord } from '../group.schema';
import { GroupsRepository } from '../groups.repository';
import { sharedIssuerProblem } from '../identity-providers';

/**
 * The groups the gateway's settings name exist as records too: the bootstrap key's group, and
 * the group signing in at OIDC_ISSUER_URL, whose identity provider is set from those variables at
 * each start. Everything else about groups is data the platform operator manages; a status set
 * there (suspended, removed) is never undone here.
 */
@Injectable()
export class EnsureEnvironmentGroups implements OnModuleInit {
  private readonly logger = new Logger(EnsureEnvironmentGroups.name);

  constructor(
    private readonly groups: GroupsRepository,
    private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const now = new Date();
    if (this.config.bootstrap.apiKey) await this.ensure(this.config.bootstrap.groupId, now);
    const oidc = this.config.oidc;
    if (oidc) {
      const record = await this.ensure(oidc.groupId, now);
      if (record.status !== 'removed') {
        const identityProvider = {
          issuerUrl: oidc.issuerUrl,
          audience: oidc.audience,
          staffClaim: oidc.staffClaim,
          groupClaim: record.identityProvider?.groupClaim ?? '',
          consoleClientId: record.identityProvider?.consoleClientId ?? 'complaints-console',
          consoleScope: record.identityProvider?.consoleScope ?? 'openid profile complaints',
        };
        const problem = sharedIssuerProblem(
          record._id,
          identityProvider,
          await this.groups.withIssuer(oidc.issuerUrl, { fresh: true }),
        );
        if (problem) this.logger.warn(`OIDC_ISSUER_URL for ${record._id}: ${problem.name} ${problem.reason}`);
        await this.groups.replace({ ...record, identityProvider, issuerUrl: oidc.issuerUrl, updatedAt: now });
      }
    }
    await this.groups.refreshOrigins();
  }

  private async ensure(groupId: string, now: Date): Promise<GroupRecord> {
    const found = await this.groups.get(groupId);
    if (found) return found;
    const record: GroupRecord = {
      _id: groupId,
      name: groupId,
      status: 'active',
      identityProvider: null,
      issuerUrl: null,
      createdAt: now,
      createdBy: 'environment',
      updatedAt: now,
    };
    try {
      await this.groups.insert(record);
    } catch (error) {
      // Another replica starting at the same time stored it first.
      if (!(error instanceof DomainError)) throw error;
    }
    return (await this.groups.get(groupId)) ?? record;
  }
}
