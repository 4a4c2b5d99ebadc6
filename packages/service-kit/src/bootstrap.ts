import 'reflect-metadata';
import { join } from 'node:path';
import { Logger, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { ServiceConfig } from '@complaints/config';
import { PROTO_ROOT, V1_PACKAGE } from '@complaints/contracts';
import { GrpcDomainErrorFilter } from './domain-errors';
import { HealthModule, MongoReadiness, NatsReadiness, type ReadinessCheck } from './health';
import { MessagingModule } from './messaging.module';

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
      ...(definition.mongo ? [MongooseModule.forRoot(service.mongo.url, { dbName: service.mongo.db })] : []),
      MessagingModule.forRoot({
        url: service.natsUrl,
        name: definition.name,
        consumerPrefix: service.natsConsumerPrefix,
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
  const { host, httpPort, grpcPort } = definition.config.service;
  const app = await NestFactory.create(serviceModule(definition), { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  app.useGlobalFilters(new GrpcDomainErrorFilter());
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.GRPC,
      options: { ...grpcLoaderOptions(definition.protoFiles), url: `${host}:${grpcPort}` },
    },
    // The gRPC server inherits the global filter that maps domain errors to gRPC status codes.
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(httpPort, host);
  new Logger(definition.name).log(`ready: http ${host}:${httpPort}, grpc ${host}:${grpcPort}`);
  return app;
}

/** Runs `main`, printing a configuration or start-up failure plainly and exiting non-zero. */
export function run(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof Error && error.name === 'ConfigError') console.error(error.message);
    else console.error(error);
    process.exit(1);
  });
}
