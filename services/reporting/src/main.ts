// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('reporting');

import { run, startService, TemporalReadiness } from '@complaints/service-kit';
import { ReportingConfig } from './config';
import { ReportingModule } from './reporting.module';

run(() =>
  startService({
    name: 'reporting',
    config: new ReportingConfig(),
    configClass: ReportingConfig,
    features: [ReportingModule],
    protoFiles: ['complaints/v1/reporting.proto'],
    mongo: true,
    // Its own rebuild command (rebuild.command.ts) runs with reporting's certificate.
    // Notification fetches the stored report it mails.
    grpcCallers: {
      gateway: '*',
      reporting: ['rebuildReadModels', 'getRebuildStatus'],
      notification: ['getStoredReport'],
    },
    // Scheduled reports run on Temporal.
    readiness: [TemporalReadiness],
  }),
);
