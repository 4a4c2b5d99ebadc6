import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Client, Connection } from '@temporalio/client';
import { DirectoryClient, TemporalReadiness, temporalProviders } from '@complaints/service-kit';
import { ComplaintFacts, ComplaintFactsSchema } from './complaint-facts/complaint-facts.schema';
import { ComplaintFactsRepository } from './complaint-facts/complaint-facts.repository';
import { EventsConsumer } from './complaint-facts/events.consumer';
import { ProjectEvent } from './complaint-facts/project-event';
import { ReportingConfig } from './config';
import { Rebuild, RebuildSchema, RebuildsRepository } from './rebuild/rebuilds.repository';
import { RebuildReadModels } from './rebuild/rebuild-read-models';
import { ReportingWorker } from './reporting.worker';
import { ReportQueries } from './reports/report-queries';
import { ReportingGrpcController } from './reports/reporting.grpc.controller';
import { RefreshRollups } from './rollups/refresh-rollups';
import { PeriodRows, PeriodRowsRepository, PeriodRowsSchema } from './rollups/period-rows.repository';
import { RollupChanges, RollupChangesRepository, RollupChangesSchema } from './rollups/rollup-changes.repository';
import { RollupRefresher } from './rollups/rollup-refresher';
import {
  Rollup,
  RollupPeriod,
  RollupPeriodSchema,
  RollupSchema,
  RollupsRepository,
} from './rollups/rollups.repository';
import { EnsureSchedules } from './schedules/ensure-schedules';
import { NotificationClient } from './schedules/notification-client';
import { StoredReport, StoredReportSchema, StoredReportsRepository } from './schedules/stored-reports.repository';
import {
  ReportSettingsRepository,
  StoredReportSettings,
  StoredReportSettingsSchema,
} from './settings/report-settings.repository';

// Global: the readiness check needs the Temporal connection.
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ComplaintFacts.name, schema: ComplaintFactsSchema },
      { name: RollupPeriod.name, schema: RollupPeriodSchema },
      { name: Rollup.name, schema: RollupSchema },
      { name: RollupChanges.name, schema: RollupChangesSchema },
      { name: PeriodRows.name, schema: PeriodRowsSchema },
      { name: StoredReport.name, schema: StoredReportSchema },
      { name: StoredReportSettings.name, schema: StoredReportSettingsSchema },
      { name: Rebuild.name, schema: RebuildSchema },
    ]),
  ],
  controllers: [ReportingGrpcController],
  providers: [
    ...temporalProviders(ReportingConfig),
    {
      provide: DirectoryClient,
      inject: [ReportingConfig],
      useFactory: (config: ReportingConfig) => new DirectoryClient(config.intake),
    },
    {
      provide: NotificationClient,
      inject: [ReportingConfig],
      useFactory: (config: ReportingConfig) => new NotificationClient(config.notification),
    },
    TemporalReadiness,
    ComplaintFactsRepository,
    RollupsRepository,
    RollupChangesRepository,
    PeriodRowsRepository,
    ReportSettingsRepository,
    StoredReportsRepository,
    RebuildsRepository,
    RefreshRollups,
    ProjectEvent,
    ReportQueries,
    EnsureSchedules,
    RebuildReadModels,
    RollupRefresher,
    ReportingWorker,
    EventsConsumer,
  ],
  exports: [Client, Connection, TemporalReadiness],
})
export class ReportingModule {}
