import type { Provider } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { v1 } from '@complaints/contracts';
import { grpcLoaderOptions } from '@complaints/service-kit';
import { lastValueFrom, type Observable } from 'rxjs';
import { GatewayConfig } from '../config';

type Unary<S> = {
  [K in keyof S]: S[K] extends (request: infer Q) => Observable<infer R> ? (request: Q) => Promise<R> : never;
};

function promisify<S extends object>(service: S): Unary<S> {
  return new Proxy(service, {
    get: (target, method) => {
      const call = Reflect.get(target, method) as (request: unknown) => Observable<unknown>;
      return (request: unknown) => lastValueFrom(call.call(target, request));
    },
  }) as unknown as Unary<S>;
}

function grpcClient(url: string, protoFile: string): ClientGrpcProxy {
  return ClientProxyFactory.create({
    transport: Transport.GRPC,
    options: { ...grpcLoaderOptions([protoFile]), url },
  });
}

/** Intake over gRPC, as promises. */
export class IntakeClient {
  constructor(readonly call: Unary<v1.IntakeServiceClient>) {}
}

/** Escalation over gRPC, as promises. */
export class EscalationClient {
  constructor(readonly call: Unary<v1.EscalationServiceClient>) {}
}

export const grpcClientProviders: Provider[] = [
  {
    provide: IntakeClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new IntakeClient(
        promisify(
          grpcClient(config.grpc.intake, 'complaints/v1/intake.proto').getService<v1.IntakeServiceClient>(
            v1.INTAKE_SERVICE_NAME,
          ),
        ),
      ),
  },
  {
    provide: EscalationClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new EscalationClient(
        promisify(
          grpcClient(config.grpc.escalation, 'complaints/v1/escalation.proto').getService<v1.EscalationServiceClient>(
            v1.ESCALATION_SERVICE_NAME,
          ),
        ),
      ),
  },
];
