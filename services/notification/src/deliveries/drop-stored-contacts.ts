import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CasesRepository } from '../cases/cases.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { maskAddress } from './mask-address';

/**
 * Notification keeps no complainant contact (it asks intake at send time). Data written before
 * that is cleaned once at start-up, in the background so readiness does not wait for it;
 * idempotent, so every replica may run it.
 */
@Injectable()
export class DropStoredContacts implements OnApplicationBootstrap {
  private readonly logger = new Logger(DropStoredContacts.name);

  constructor(
    private readonly cases: CasesRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  onApplicationBootstrap(): void {
    void this.run().catch((error: unknown) => this.logger.error(`dropping stored contacts failed: ${String(error)}`));
  }

  async run(): Promise<{ cases: number; deliveries: number; members: number }> {
    const result = {
      cases: await this.cases.dropStoredContacts(),
      deliveries: await this.deliveries.maskStoredAddresses(maskAddress),
      // Not contacts, but the same kind of once-at-start-up catching up with older data.
      members: await this.cases.buildMemberLists(),
    };
    if (result.cases + result.deliveries > 0) {
      this.logger.log(
        `dropped stored contacts of ${result.cases} cases, masked ${result.deliveries} delivery addresses`,
      );
    }
    return result;
  }
}
