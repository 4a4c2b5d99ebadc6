import type { OnApplicationShutdown } from '@nestjs/common';
import { Metadata } from '@grpc/grpc-js';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { lastValueFrom, type Observable } from 'rxjs';
import { grpcTlsFromEnv, type GrpcTls } from '@complaints/config';
import { grpcLoaderOptions } from './bootstrap';
import { channelCredentials, expectedServerName, serviceServing } from './grpc-callers';

export type Unary<S> = {
  [K in keyof S]: S[K] extends (request: infer Q, metadata?: Metadata) => Observable<infer R>
    ? (request: Q, metadata?: Metadata) => Promise<R>
    : never;
};

type GrpcMethod = (request: unknown, metadata: Metadata, options: { deadline: Date }) => Observable<unknown>;

/**
 * Each call as a promise with a deadline, so a stuck service costs a request at most
 * `deadlineMs` (then DEADLINE_EXCEEDED) instead of hanging it. Nest passes the arguments
 * through to grpc-js, whose unary methods take (request, metadata, call options).
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

export interface GrpcClientOptions {
  url: string;
  protoFile: string;
  serviceName: string;
  deadlineMs: number;
  /**
   * grpc-js backs off up to 2 minutes between reconnects; a service back after a restart
   * should be used again within this.
   */
  maxReconnectBackoffMs: number;
  /** This process's certificate for mutual TLS; by default from GRPC_TLS_DIR. */
  tls?: GrpcTls | null;
}

/** A service over gRPC: `call.<method>(request)` answers a promise; the channel closes with the app. */
export abstract class GrpcServiceClient<S extends object> implements OnApplicationShutdown {
  readonly call: Unary<S>;
  private readonly client: ClientGrpcProxy;

  constructor(options: GrpcClientOptions) {
    const tls = options.tls === undefined ? grpcTlsFromEnv() : options.tls;
    this.client = ClientProxyFactory.create({
      transport: Transport.GRPC,
      options: {
        ...grpcLoaderOptions([options.protoFile]),
        url: options.url,
        credentials: channelCredentials(tls),
        channelOptions: {
          'grpc.max_reconnect_backoff_ms': options.maxReconnectBackoffMs,
          ...expectedServerName(tls, serviceServing(options.serviceName)),
        },
      },
    });
    this.call = withDeadlines(this.client.getService<S>(options.serviceName), options.deadlineMs);
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
