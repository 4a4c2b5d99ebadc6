import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { GatewayConfig } from '../../config';
import { hashApiKey, keyIdOf } from '../api-key-secret';
import { ApiKeysRepository } from '../api-keys.repository';

/**
 * A fresh installation has no keys, and creating one needs an admin key: BOOTSTRAP_API_KEY
 * breaks the circle. At start-up the gateway makes sure that key exists as an admin key of
 * BOOTSTRAP_GROUP_ID; starting again with the same key changes nothing.
 */
@Injectable()
export class EnsureBootstrapKey implements OnModuleInit {
  private readonly logger = new Logger(EnsureBootstrapKey.name);

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const { apiKey, groupId } = this.config.bootstrap;
    if (!apiKey) return;
    const keyId = keyIdOf(apiKey);
    // The configuration already checked the format; this only narrows the type.
    if (!keyId) throw new Error('BOOTSTRAP_API_KEY is not an API key');
    const stored = await this.keys.upsert({
      _id: keyId,
      name: 'bootstrap',
      groupId,
      secretHash: hashApiKey(apiKey),
      admin: true,
      createdAt: new Date(),
    });
    if (stored.revokedAt)
      this.logger.warn(
        `the bootstrap API key ${keyId} was revoked on ${stored.revokedAt.toISOString()}; it stays revoked`,
      );
    else this.logger.log(`bootstrap API key ${keyId} is an admin key of group ${groupId}`);
  }
}
