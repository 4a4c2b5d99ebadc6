// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('escalation');

import { run, startService, TemporalReadiness } from '@complaints/service-kit';
import { EscalationConfig } from './config';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { WorkOrderDeadlinesModule } from './work-orders/work-order-deadlines.module';

run(() =>
  startService({
    name: 'escalation',
    config: new EscalationConfig(),
    configClass: EscalationConfig,
    features: [LifecycleModule, WorkOrderDeadlinesModule],
    protoFiles: ['complaints/v1/escalation.proto', 'complaints/v1/corrective_actions.proto'],
    // Each complaint's state lives in its Temporal workflow; policies and calendars in MongoDB.
    mongo: true,
    grpcCallers: { gateway: '*' },
    readiness: [TemporalReadiness],
  }),
);
