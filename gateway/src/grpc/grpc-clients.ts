import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { Metadata } from '@grpc/grpc-js';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { v1 } from '@complaints/contracts';
import { grpcLoaderOptions } from '@complaints/service-kit';
import { lastValueFrom, type Observable } from 'rxjs';
import { GatewayConfig } from '../config';
import { UPSTREAM_RETRY_AFTER_SECONDS } from '../problems/problem-types';

type Unary<S> = {
  [K in keyof S]: S[K] extends (request: infer Q, metadata?: Metadata) => Observable<infer R>
    ? (request: Q, metadata?: Metadata) => Promise<R>
    : never;
};

type GrpcMethod = (request: unknown, metadata: Metadata, options: { deadline: Date }) => Observable<unknown>;

/**
 * Each call as a promise with a deadline, so a stuck service costs a request at most
 * `deadlineMs` (then DEADLINE_EXCEEDED, answered 504) instead of hanging it. Nest passes the
 * arguments through to grpc-js, whose unary methods take (request, metadata, call options).
 */
function withDeadlines<S extends object>(service: S, deadlineMs: number): Unary<S> {
  return new Proxy(service, {
    get: (target, method) => {
      const call = Reflect.get(target, method) as GrpcMethod;
      return (request: unknown, metadata?: Metadata) =>
        lastValueFrom(
          call.call(target, request, metadata ?? new Metadata(), { deadline: new Date(Date.now() + deadlineMs) }),
        );
    },
  }) as unknown as Unary<S>;
}

function grpcClient(url: string, protoFile: string): ClientGrpcProxy {
  return ClientProxyFactory.create({
    transport: Transport.GRPC,
    options: {
      ...grpcLoaderOptions([protoFile]),
      url,
      // grpc-js backs off up to 2 minutes between reconnects; a service back after a restart
      // should be used again about when our 503s told clients to retry.
      channelOptions: { 'grpc.max_reconnect_backoff_ms': UPSTREAM_RETRY_AFTER_SECONDS * 1000 },
    },
  });
}

/** A service over gRPC: `call.<method>(request)` answers a promise; the channel closes with the app. */
abstract class GrpcServiceClient<S extends object> implements OnApplicationShutdown {
  readonly call: Unary<S>;

  constructor(
    private readonly client: ClientGrpcProxy,
    serviceName: string,
    deadlineMs: number,
  ) {
    this.call = withDeadlines(client.getService<S>(serviceName), deadlineMs);
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}

/** Intake's complaints. */
export class IntakeClient extends GrpcServiceClient<v1.IntakeServiceClient> {}

/** Escalation's lifecycles. */
export class EscalationClient extends GrpcServiceClient<v1.EscalationServiceClient> {}

/** Intake's attachments (evidence in GridFS). */
export class AttachmentClient extends GrpcServiceClient<v1.AttachmentServiceClient> {}

/** Intake's directory (master data: regions, properties, departments, staff). */
export class DirectoryClient extends GrpcServiceClient<v1.DirectoryServiceClient> {}

export const grpcClientProviders: Provider[] = [
  {
    provide: IntakeClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new IntakeClient(
        grpcClient(config.grpc.intake, 'complaints/v1/intake.proto'),
        v1.INTAKE_SERVICE_NAME,
        config.grpc.deadlineMs,
      ),
  },
  {
    provide: AttachmentClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new AttachmentClient(
        grpcClient(config.grpc.intake, 'complaints/v1/attachments.proto'),
        v1.ATTACHMENT_SERVICE_NAME,
        config.grpc.deadlineMs,
      ),
  },
  {
    provide: DirectoryClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new DirectoryClient(
        grpcClient(config.grpc.intake, 'complaints/v1/directory.proto'),
        v1.DIRECTORY_SERVICE_NAME,
        config.grpc.deadlineMs,
      ),
  },
  {
    provide: EscalationClient,
    inject: [GatewayConfig],
    useFactory: (config: GatewayConfig) =>
      new EscalationClient(
        grpcClient(config.grpc.escalation, 'complaints/v1/escalation.proto'),
        v1.ESCALATION_SERVICE_NAME,
        config.grpc.deadlineMs,
      ),
  },
];
