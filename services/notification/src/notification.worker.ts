import { Injectable } from '@nestjs/common';
import { DirectoryClient, PersonalDataClient, TemporalWorkerHost } from '@complaints/service-kit';
import { CasesRepository } from './cases/cases.repository';
import { ChannelSenders } from './channels/channel-senders';
import { NotificationConfig } from './config';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { createDeliveryActivities } from './deliveries/delivery.activities';
import { DeliverNow } from './deliveries/deliver-now';
import { createDigestActivities } from './digest/digest.activities';
import { createHandoverReminderActivities } from './handover/handover-reminder.activities';
import { HandoverNotices } from './handover/handover-notices';
import { SettingsRepository } from './settings/settings.repository';
import { SuspendedGroupsRepository } from './settings/suspended-groups.repository';
import { SubscriptionsRepository } from './webhooks/subscriptions.repository';

/** Runs the delivery, digest and handover reminder workflows and their activities. */
@Injectable()
export class NotificationWorker extends TemporalWorkerHost {
  constructor(
    config: NotificationConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly settings: SettingsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly senders: ChannelSenders,
    private readonly cases: CasesRepository,
    private readonly directory: DirectoryClient,
    private readonly deliverNow: DeliverNow,
    private readonly personalData: PersonalDataClient,
    private readonly suspendedGroups: SuspendedGroupsRepository,
    private readonly handoverNotices: HandoverNotices,
  ) {
    super(config);
  }

  protected workflows() {
    return {
      dir: __dirname,
      workflowsPath: require.resolve('./workflows'),
      activities: {
        ...createDeliveryActivities({
          deliveries: this.deliveries,
          settings: this.settings,
          subscriptions: this.subscriptions,
          senders: this.senders,
          contacts: {
            contactOf: async (groupId, complaintId) => {
              const { contact, erased } = await this.personalData.call.getComplainantContact({ groupId, complaintId });
              return erased ? null : contact;
            },
          },
        }),
        ...createDigestActivities({
          settings: this.settings,
          cases: this.cases,
          directory: this.directory,
          deliverNow: this.deliverNow,
          suspendedGroups: this.suspendedGroups,
        }),
        ...createHandoverReminderActivities({ notices: this.handoverNotices, deliverNow: this.deliverNow }),
      },
    };
  }
}
