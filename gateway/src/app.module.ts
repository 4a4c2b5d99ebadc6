import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerModule } from '@nestjs/throttler';
import {
  countedStoreOptions,
  HealthController,
  HealthModule,
  MetricsController,
  MongoReadiness,
  ObservabilityModule,
} from '@complaints/service-kit';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { GroupsModule } from './groups/groups.module';
import { CannedRepliesModule } from './canned-replies/canned-replies.module';
import { ConsoleModule } from './console/console.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { Public } from './auth/public.decorator';
import { StaffDirectory } from './auth/staff-directory';
import { StaffToken } from './auth/staff-token';
import { AttachmentsController } from './complaints/attachments.controller';
import { ComplaintScope } from './complaints/complaint-scope';
import { SpotChecksController } from './quality/spot-checks.controller';
import { ComplaintsController } from './complaints/complaints.controller';
import { GatewayConfig } from './config';
import { ColleaguesController } from './directory/colleagues.controller';
import { DirectoryController } from './directory/directory.controller';
import { DirectoryActivityController } from './directory/activity.controller';
import { DirectoryFileController } from './directory/directory-file.controller';
import { HandOnOpenWork } from './directory/hand-on-open-work';
import { MeController } from './me/me.controller';
import { RoutingController } from './routing/routing.controller';
import { LifecycleController } from './lifecycle/lifecycle.controller';
import { StaffConsequencesController } from './staff-consequences/staff-consequences.controller';
import { SurveysController } from './surveys/surveys.controller';
import { ComplainantViewController } from './complainant-view/complainant-view.controller';
import { PoliciesController } from './policies/policies.controller';
import { PersonalDataController } from './personal-data/personal-data.controller';
import { WorkOrdersController } from './work-orders/work-orders.controller';
import { WorkOrderWait } from './work-orders/work-order-wait';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationTemplatesController } from './notifications/templates.controller';
import { ReportsController } from './reports/reports.controller';
import { HandoversController, LedgersController } from './handover/handover.controller';
import { CorrectiveActionsController } from './corrective-actions/corrective-actions.controller';
import { grpcClientProviders, NotificationClient } from './grpc/grpc-clients';
import { NoNulCharacters } from './problems/no-nul-characters.pipe';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { KeyThrottlerGuard } from './rate-limits/key-throttler.guard';
import { RateCount, RateCountSchema, SharedRateCounter } from './rate-limits/shared-rate-counter';

// service-kit's /healthz and /readyz answer kubelets and load balancers, /metrics Prometheus:
// no key, no rate limit. (The chart's ingress exposes only /v1 and /docs.)
for (const controller of [HealthController, MetricsController]) {
  Public()(controller);
  SkipThrottle()(controller);
  ApiTags('operations')(controller);
}

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      // Global so feature modules (API keys) and the health checks see the config, the readiness
      // check and notification (a revoked key's webhook subscriptions stop).
      global: true,
      imports: [
        MongooseModule.forRoot(config.mongo.url, {
          dbName: config.mongo.db,
          // Every request reads its API key: fail (503) within seconds when the database is gone.
          serverSelectionTimeoutMS: 5_000,
          ...countedStoreOptions(),
        }),
        ObservabilityModule.forRoot('gateway', { accessLog: true }),
        MongooseModule.forFeature([{ name: RateCount.name, schema: RateCountSchema }]),
        // One budget per key across every gateway replica (SharedRateCounter).
        ThrottlerModule.forRootAsync({
          inject: [SharedRateCounter],
          useFactory: (storage: SharedRateCounter) => ({
            throttlers: [{ ttl: 60_000, limit: config.limits.requestsPerMinute }],
            storage,
          }),
        }),
        HealthModule.register([MongoReadiness]),
        ApiKeysModule,
        GroupsModule,
        AuditModule,
        CannedRepliesModule,
        ConsoleModule,
        // Uploads stay in memory (bounded by the limit) and go to intake whole.
        MulterModule.register({
          storage: memoryStorage(),
          limits: { fileSize: config.limits.attachmentMaxBytes, files: 1 },
        }),
      ],
      controllers: [
        MeController,
        ComplaintsController,
        AttachmentsController,
        DirectoryController,
        DirectoryActivityController,
        DirectoryFileController,
        ColleaguesController,
        RoutingController,
        LifecycleController,
        StaffConsequencesController,
        SpotChecksController,
        CorrectiveActionsController,
        SurveysController,
        ComplainantViewController,
        PoliciesController,
        NotificationsController,
        NotificationTemplatesController,
        ReportsController,
        PersonalDataController,
        WorkOrdersController,
        HandoversController,
        LedgersController,
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        MongoReadiness,
        ...grpcClientProviders,
        ComplaintScope,
        StaffDirectory,
        StaffToken,
        HandOnOpenWork,
        WorkOrderWait,
        SharedRateCounter,
        // Global guards run in this order: who is calling, then whether they have requests left.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Before each route's own validation: U+0000 in a parameter or body is a 400.
        { provide: APP_PIPE, useClass: NoNulCharacters },
      ],
      exports: [GatewayConfig, MongoReadiness, NotificationClient, SharedRateCounter, GroupsModule],
    };
  }
}
