import { run, startService } from '@complaints/service-kit';
import { ComplaintFactsModule } from './complaint-facts/complaint-facts.module';
import { ReportingConfig } from './config';

run(() =>
  startService({
    name: 'reporting',
    config: new ReportingConfig(),
    configClass: ReportingConfig,
    features: [ComplaintFactsModule],
    protoFiles: ['complaints/v1/reporting.proto'],
    mongo: true,
  }),
);
