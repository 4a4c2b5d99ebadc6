import { Injectable } from '@nestjs/common';
import { DirectoryClient, TemporalWorkerHost } from '@complaints/service-kit';
import { ReportingConfig } from './config';
import { ReportQueries } from './reports/report-queries';
import { NotificationClient } from './schedules/notification-client';
import { createReportActivities } from './schedules/report.activities';
import { StoredReportsRepository } from './schedules/stored-reports.repository';
import { ReportSettingsRepository } from './settings/report-settings.repository';

/** Runs the scheduled report workflows and their activities. */
@Injectable()
export class ReportingWorker extends TemporalWorkerHost {
  constructor(
    config: ReportingConfig,
    private readonly queries: ReportQueries,
    private readonly settings: ReportSettingsRepository,
    private readonly stored: StoredReportsRepository,
    private readonly directory: DirectoryClient,
    private readonly notification: NotificationClient,
  ) {
    super(config);
  }

  protected workflows() {
    return {
      dir: __dirname,
      workflowsPath: require.resolve('./workflows'),
      activities: createReportActivities({
        queries: this.queries,
        settings: this.settings,
        stored: this.stored,
        directory: this.directory,
        notification: { deliverReport: (request) => this.notification.call.deliverReport(request) },
      }),
    };
  }
}
