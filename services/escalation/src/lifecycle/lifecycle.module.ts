import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Client, Connection } from '@temporalio/client';
import { DirectoryClient, TemporalReadiness, temporalProviders } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import {
  CORRECTIVE_ACTION_FEATURES,
  CORRECTIVE_ACTION_PROVIDERS,
  CorrectiveActionsGrpcController,
} from '../corrective-actions';
import { PoliciesModule } from '../policies/policies.module';
import { EscalationGrpcController } from './escalation.grpc.controller';
import { LifecycleWorker } from './lifecycle.worker';
import { LifecycleRecord, LifecycleRecords, LifecycleRecordSchema } from './lifecycle-records';
import { LifecycleEventsConsumer } from './lifecycle-events.consumer';
import { Act } from './use-cases/act';
import { GetLifecycle } from './use-cases/get-lifecycle';
import { SignalLifecycle } from './use-cases/signal-lifecycle';
import { StartLifecycle } from './use-cases/start-lifecycle';

// Global: the health check and the gRPC controller both need the Temporal connection.
@Global()
@Module({
  imports: [
    PoliciesModule,
    MongooseModule.forFeature([
      { name: LifecycleRecord.name, schema: LifecycleRecordSchema },
      ...CORRECTIVE_ACTION_FEATURES,
    ]),
  ],
  controllers: [EscalationGrpcController, CorrectiveActionsGrpcController],
  providers: [
    ...temporalProviders(EscalationConfig),
    {
      provide: DirectoryClient,
      inject: [EscalationConfig],
      useFactory: (config: EscalationConfig) => new DirectoryClient(config.intake),
    },
    TemporalReadiness,
    LifecycleRecords,
    LifecycleWorker,
    StartLifecycle,
    GetLifecycle,
    SignalLifecycle,
    Act,
    LifecycleEventsConsumer,
    ...CORRECTIVE_ACTION_PROVIDERS,
  ],
  exports: [Client, Connection, TemporalReadiness],
})
export class LifecycleModule {}
