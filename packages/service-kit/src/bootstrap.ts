import 'reflect-metadata';
import { join } from 'node:path';
import { Logger, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { ServiceConfig } from '@complaints/config';
import { PROTO_ROOT, V1_PACKAGE } from '@complaints/contracts';
import { GrpcDomainErrorFilter } from './domain-errors';
import { GrpcCallersGuard, serverCredentials, type GrpcCallers } from './grpc-callers';
import { HealthModule, markStopping, MongoReadiness, NatsReadiness, type ReadinessCheck } from './health';
import { MessagingModule } from './messaging.module';
import { ObservabilityModule, observeApp } from './telemetry/observability.module';
import { countedStoreOptions } from './telemetry/store-metrics';

export interface ServiceDefinition<C extends { service: ServiceConfig }> {
  name: string;
  /** The service's validated configuration, injectable everywhere by its class. */
  config: C;
  configClass: Type<C>;
  /** The feature modules: the service's actual work. */
  features: Type<unknown>[];
  /** The protos whose services this one serves over gRPC. */
  protoFiles: readonly string[];
  /** Services that keep their state in MongoDB (all but escalation, whose state is in Temporal). */
  mongo: boolean;
  readiness?: Type<ReadinessCheck>[];
  /** Which services may call which of its gRPC methods (mutual TLS names the caller). */
  grpcCallers: GrpcCallers;
}

export const GRPC_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** gRPC options shared by servers and clients so both read the protos the same way. */
export function grpcLoaderOptions(protoFiles: readonly string[]) {
  return {
    package: V1_PACKAGE,
    protoPath: protoFiles.map((file) => join(PROTO_ROOT, file)),
    loader: { includeDirs: [PROTO_ROOT], keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true },
    // Attachments travel whole (up to 15 MiB); gRPC's default cap is 4 MiB.
    maxReceiveMessageLength: GRPC_MAX_MESSAGE_BYTES,
    maxSendMessageLength: GRPC_MAX_MESSAGE_BYTES,
  };
}

@Module({})
class ServiceRootModule {}

/** The root module every service shares: config, MongoDB, NATS, health, then its features. */
export function serviceModule<C extends { service: ServiceConfig }>(definition: ServiceDefinition<C>): DynamicModule {
  const { service } = definition.config;
  return {
    module: ServiceRootModule,
    global: true,
    imports: [
      ObservabilityModule.forRoot(definition.name, { accessLog: false }),
      ...(definition.mongo
        ? [MongooseModule.forRoot(service.mongo.url, { dbName: service.mongo.db, ...countedStoreOptions() })]
        : []),
      MessagingModule.forRoot({
        url: service.natsUrl,
        name: definition.name,
        consumerPrefix: service.natsConsumerPrefix,
        concurrency: service.consumerConcurrency,
        ...(service.natsCredentials ? { credentials: service.natsCredentials } : {}),
      }),
      HealthModule.register([
        ...(definition.mongo ? [MongoReadiness] : []),
        NatsReadiness,
        ...(definition.readiness ?? []),
      ]),
      ...definition.features,
    ],
    providers: [
      { provide: definition.configClass, useValue: definition.config },
      ...(definition.mongo ? [MongoReadiness] : []),
      NatsReadiness,
    ],
    exports: [definition.configClass, ...(definition.mongo ? [MongoReadiness] : []), NatsReadiness],
  };
}

/** Starts a service: HTTP (health) and gRPC; it stops cleanly on SIGTERM / SIGINT. */
export async function startService<C extends { service: ServiceConfig }>(
  definition: ServiceDefinition<C>,
): Promise<INestApplication> {
  const { host, httpPort, grpcPort, grpcTls } = definition.config.service;
  // Start-up lines wait for pino (observeApp) rather than going out in Nest's plain format.
  const app = await NestFactory.create(serviceModule(definition), { bufferLogs: true });
  observeApp(app);
  stopOnSignals(app, definition.name);
  app.useGlobalFilters(new GrpcDomainErrorFilter());
  app.useGlobalGuards(new GrpcCallersGuard(definition.grpcCallers, grpcTls !== null));
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.GRPC,
      options: {
        ...grpcLoaderOptions(definition.protoFiles),
        url: `${host}:${grpcPort}`,
        credentials: serverCredentials(grpcTls),
        // Graceful: on shutdown, calls in progress finish; new ones are refused.
        gracefulShutdown: true,
      },
    },
    // The gRPC server inherits the global filter that maps domain errors to gRPC status codes.
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(httpPort, host);
  new Logger(definition.name).log(`ready: http ${host}:${httpPort}, grpc ${host}:${grpcPort}`);
  return app;
}

/** Longer than this and the process gives up waiting (exit 1); below Kubernetes' 30 s grace period. */
const SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * Graceful shutdown on SIGTERM / SIGINT. Readiness turns 503 at once; then Nest closes the app
 * in its order: consumers stop pulling and finish the event in hand and the Temporal worker
 * finishes its running activities (beforeApplicationShutdown); the gRPC and HTTP servers refuse
 * new calls and finish those in progress; last the connections close (NATS drained, MongoDB,
 * Temporal, buffered spans flushed). Exit 0 when all of it is done.
 */
export function stopOnSignals(app: INestApplication, name: string): void {
  const logger = new Logger(name);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    markStopping();
    logger.log(`${signal}: stopping; finishing the work in hand`);
    setTimeout(() => {
      logger.error(`not stopped ${SHUTDOWN_TIMEOUT_MS / 1000} s after ${signal}: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    try {
      await app.close();
      logger.log('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));
}

/** Runs `main`, printing a configuration or start-up failure plainly and exiting non-zero. */
export function run(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ConfigError') console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
