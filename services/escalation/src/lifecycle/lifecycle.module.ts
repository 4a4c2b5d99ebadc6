import { Global, Module } from '@nestjs/common';
import { EscalationGrpcController } from './escalation.grpc.controller';
import { LifecycleWorker } from './lifecycle.worker';
import { LifecycleEventsConsumer } from './lifecycle-events.consumer';
import { EndLifecycle } from './use-cases/end-lifecycle';
import { TemporalReadiness, temporalProviders } from './temporal.providers';
import { GetLifecycle } from './use-cases/get-lifecycle';
import { StartLifecycle } from './use-cases/start-lifecycle';

// Global: the health check and the gRPC controller both need the Temporal connection.
@Global()
@Module({
  controllers: [EscalationGrpcController],
  providers: [
    ...temporalProviders,
    TemporalReadiness,
    LifecycleWorker,
    StartLifecycle,
    GetLifecycle,
    EndLifecycle,
    LifecycleEventsConsumer,
  ],
  exports: [...temporalProviders, TemporalReadiness],
})
export class LifecycleModule {}
