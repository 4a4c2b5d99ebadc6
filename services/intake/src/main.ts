import { run, startService } from '@complaints/service-kit';
import { ComplaintsModule } from './complaints/complaints.module';
import { IntakeConfig } from './config';

run(() =>
  startService({
    name: 'intake',
    config: new IntakeConfig(),
    configClass: IntakeConfig,
    features: [ComplaintsModule],
    protoFiles: ['complaints/v1/intake.proto'],
    mongo: true,
  }),
);
