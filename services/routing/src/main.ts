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
  }),
);
