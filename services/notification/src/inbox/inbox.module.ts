import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Client, Connection } from '@temporalio/client';
import {
  DirectoryClient,
  PersonalDataClient,
  TemporalReadiness,
  temporalProviders,
  Sealer,
} from '@complaints/service-kit';
import { Case, CaseMembers, CaseMembersSchema, CaseSchema, CasesRepository } from '../cases/cases.repository';
import { ChannelSenders } from '../channels/channel-senders';
import { OutboundGuard } from '../channels/outbound-guard';
import { NotificationConfig, secretSealer } from '../config';
import { DeliveriesRepository, Delivery, DeliverySchema } from '../deliveries/deliveries.repository';
import { DeliverNow } from '../deliveries/deliver-now';
import { DispatchDelivery, NOTIFICATION_TASK_QUEUE } from '../deliveries/dispatch-delivery';
import { PlanNotifications } from '../deliveries/plan-notifications';
import { DropStoredContacts, UpgradeDone, UpgradeDoneSchema } from '../deliveries/drop-stored-contacts';
import { EnsureDigest } from '../digest/ensure-digest';
import { HandoverNotices } from '../handover/handover-notices';
import { HandoverReminders } from '../handover/handover-reminders';
import { HandoverEventsHandler } from '../handover/handover-events.handler';
import { WorkOrderEventsHandler } from '../work-orders/work-order-events.handler';
import { WorkOrderNotices } from '../work-orders/work-order-notices';
import { NotificationWorker } from '../notification.worker';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../settings/settings.repository';
import {
  SuspendedGroup,
  SuspendedGroupSchema,
  SuspendedGroupsRepository,
} from '../settings/suspended-groups.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../webhooks/subscriptions.repository';
import { DeliverReport } from '../reports/deliver-report';
import {
  ReportDeliveries,
  ReportDeliveriesRepository,
  ReportDeliveriesSchema,
} from '../reports/report-deliveries.repository';
import { ReportingClient } from '../reports/reporting-client';
import { EventsConsumer } from './events.consumer';
import { NotificationGrpcController } from './notification.grpc.controller';

// Global: the readiness check needs the Temporal connection.
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Case.name, schema: CaseSchema },
      { name: CaseMembers.name, schema: CaseMembersSchema },
      { name: Delivery.name, schema: DeliverySchema },
      { name: GroupSettings.name, schema: GroupSettingsSchema },
      { name: Subscription.name, schema: SubscriptionSchema },
      { name: SuspendedGroup.name, schema: SuspendedGroupSchema },
      { name: UpgradeDone.name, schema: UpgradeDoneSchema },
      { name: ReportDeliveries.name, schema: ReportDeliveriesSchema },
    ]),
  ],
  controllers: [NotificationGrpcController],
  providers: [
    ...temporalProviders(NotificationConfig),
    {
      provide: NOTIFICATION_TASK_QUEUE,
      inject: [NotificationConfig],
      useFactory: (config: NotificationConfig) => config.taskQueue,
    },
    {
      provide: DirectoryClient,
      inject: [NotificationConfig],
      useFactory: (config: NotificationConfig) => new DirectoryClient(config.intake),
    },
    {
      provide: PersonalDataClient,
      inject: [NotificationConfig],
      useFactory: (config: NotificationConfig) => new PersonalDataClient(config.intake),
    },
    {
      provide: ReportingClient,
      inject: [NotificationConfig],
      useFactory: (config: NotificationConfig) => new ReportingClient(config.reporting),
    },
    TemporalReadiness,
    CasesRepository,
    DeliveriesRepository,
    {
      provide: Sealer,
      inject: [NotificationConfig],
      useFactory: secretSealer,
    },
    SettingsRepository,
    SuspendedGroupsRepository,
    SubscriptionsRepository,
    {
      provide: ChannelSenders,
      inject: [NotificationConfig, ReportingClient],
      useFactory: (config: NotificationConfig, reporting: ReportingClient) =>
        new ChannelSenders({
          timeoutMs: config.sending.timeoutMs,
          guard: new OutboundGuard(config.sending.allowedCidrs),
          providerHosts: config.sending.providerHosts,
          reportFiles: reporting,
        }),
    },
    DispatchDelivery,
    {
      provide: DeliverNow,
      inject: [NotificationConfig, DeliveriesRepository, SettingsRepository, ChannelSenders, DispatchDelivery],
      useFactory: (
        config: NotificationConfig,
        deliveries: DeliveriesRepository,
        settings: SettingsRepository,
        senders: ChannelSenders,
        dispatch: DispatchDelivery,
      ) => new DeliverNow({ deliveries, settings, senders, dispatch }, { concurrency: config.sending.concurrency }),
    },
    PlanNotifications,
    ReportDeliveriesRepository,
    DeliverReport,
    DropStoredContacts,
    EnsureDigest,
    HandoverNotices,
    HandoverReminders,
    HandoverEventsHandler,
    WorkOrderNotices,
    WorkOrderEventsHandler,
    NotificationWorker,
    EventsConsumer,
  ],
  exports: [Client, Connection, TemporalReadiness],
})
export class InboxModule {}
