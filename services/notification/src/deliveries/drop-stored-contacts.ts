import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { CasesRepository } from '../cases/cases.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { maskAddress } from './mask-address';

/** A start-up pass over older data that has been done: later starts skip it. */
@Schema({ collection: 'upgrades' })
export class UpgradeDone {
  @Prop({ required: true }) _id!: string;
  @Prop({ required: true }) doneAt!: Date;
}
export const UpgradeDoneSchema = SchemaFactory.createForClass(UpgradeDone);

/** Names this pass; a new pass over older data gets a new id. */
export const STORED_CONTACTS_UPGRADE = 'stored-contacts-and-member-lists-v1';

/**
 * Notification keeps no complainant contact (it asks intake at send time), and keeps a
 * collective's members on a list of their own. Data written before that is brought up to date
 * once, at start-up, in the background so readiness does not wait for it; idempotent, so every
 * replica may run it. Its scans are not repeated at every start (a restart under load would
 * read every case and delivery again): once done, the `upgrades` document says so, by `_id`.
 */
@Injectable()
export class DropStoredContacts implements OnApplicationBootstrap {
  private readonly logger = new Logger(DropStoredContacts.name);

  constructor(
    private readonly cases: CasesRepository,
    private readonly deliveries: DeliveriesRepository,
    @InjectModel(UpgradeDone.name) private readonly upgrades: Model<UpgradeDone>,
  ) {}

  onApplicationBootstrap(): void {
    void this.run().catch((error: unknown) => this.logger.error(`dropping stored contacts failed: ${String(error)}`));
  }

  async run(): Promise<{ cases: number; deliveries: number; members: number }> {
    if (await this.upgrades.findById(STORED_CONTACTS_UPGRADE).lean<UpgradeDone>()) {
      return { cases: 0, deliveries: 0, members: 0 };
    }
    const result = {
      cases: await this.cases.dropStoredContacts(),
      deliveries: await this.deliveries.maskStoredAddresses(maskAddress),
      // Not contacts, but the same kind of once-at-start-up catching up with older data.
      members: await this.cases.buildMemberLists(),
    };
    await this.upgrades.updateOne(
      { _id: STORED_CONTACTS_UPGRADE },
      { $setOnInsert: { doneAt: new Date() } },
      { upsert: true },
    );
    if (result.cases + result.deliveries > 0) {
      this.logger.log(
        `dropped stored contacts of ${result.cases} cases, masked ${result.deliveries} delivery addresses`,
      );
    }
    return result;
  }
}
