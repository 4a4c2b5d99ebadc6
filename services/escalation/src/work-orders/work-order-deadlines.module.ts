import { Global, Module } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';
import { EscalationConfig } from '../config';
import { PoliciesModule } from '../policies/policies.module';
import { WorkOrderDeadlinesGrpcController } from './work-order-deadlines.grpc.controller';

/** Intake's work orders: the timers mark them overdue there. */
export class WorkOrderIntakeClient extends GrpcServiceClient<v1.WorkOrderServiceClient> {}

// Global: the lifecycle worker runs this feature's workflow and activities too.
@Global()
@Module({
  imports: [PoliciesModule],
  controllers: [WorkOrderDeadlinesGrpcController],
  providers: [
    {
      provide: WorkOrderIntakeClient,
      inject: [EscalationConfig],
      useFactory: (config: EscalationConfig) =>
        new WorkOrderIntakeClient({
          url: config.intake.url,
          protoFile: 'complaints/v1/work_orders.proto',
          serviceName: v1.WORK_ORDER_SERVICE_NAME,
          deadlineMs: config.intake.deadlineMs,
          maxReconnectBackoffMs: 5_000,
        }),
    },
  ],
  exports: [WorkOrderIntakeClient],
})
export class WorkOrderDeadlinesModule {}
