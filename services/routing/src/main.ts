// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('routing');

import { run, startService } from '@complaints/service-kit';
import { ClassificationModule } from './classification/classification.module';
import { RoutingConfig } from './config';

run(() =>
  startService({
    name: 'routing',
    config: new RoutingConfig(),
    configClass: RoutingConfig,
    features: [ClassificationModule],
    protoFiles: ['complaints/v1/routing.proto'],
    mongo: true,
    grpcCallers: { gateway: '*' },
  }),
);
