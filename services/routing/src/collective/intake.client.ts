import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';
import { RoutingConfig } from '../config';

/** Intake over gRPC: a collective complaint is registered there like any other, as its parent case. */
@Injectable()
export class IntakeClient extends GrpcServiceClient<v1.IntakeServiceClient> {
  constructor(config: RoutingConfig) {
    super({
      url: config.intake.url,
      protoFile: 'complaints/v1/intake.proto',
      serviceName: v1.INTAKE_SERVICE_NAME,
      deadlineMs: config.intake.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    });
  }
}
