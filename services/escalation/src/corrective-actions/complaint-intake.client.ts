import type { Provider } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';
import { EscalationConfig } from '../config';

/**
 * Intake's complaints, read for a spot check's follow-up: a complaint closed at first contact
 * never had a lifecycle here, so its property and department are only known there.
 */
export class ComplaintIntakeClient extends GrpcServiceClient<v1.IntakeServiceClient> {}

export const complaintIntakeClientProvider: Provider = {
  provide: ComplaintIntakeClient,
  inject: [EscalationConfig],
  useFactory: (config: EscalationConfig) =>
    new ComplaintIntakeClient({
      url: config.intake.url,
      protoFile: 'complaints/v1/intake.proto',
      serviceName: v1.INTAKE_SERVICE_NAME,
      deadlineMs: config.intake.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    }),
};
