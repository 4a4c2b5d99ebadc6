// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('notification');

import { run, startService, TemporalReadiness } from '@complaints/service-kit';
import { InboxModule } from './inbox/inbox.module';
import { NotificationConfig } from './config';

run(() =>
  startService({
    name: 'notification',
    config: new NotificationConfig(),
    configClass: NotificationConfig,
    features: [InboxModule],
    protoFiles: ['complaints/v1/notification.proto'],
    mongo: true,
    // Reporting hands over each stored scheduled report to be mailed.
    grpcCallers: { gateway: '*', reporting: ['deliverReport'] },
    // Deliveries and digests wait on Temporal timers.
    readiness: [TemporalReadiness],
  }),
);
