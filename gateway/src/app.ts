import 'reflect-metadata';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { observeApp } from '@complaints/service-kit';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { GatewayConfig } from './config';
import { createOpenApiDocument, serveOpenApi } from './openapi/openapi-document';
import { registrationAdmission } from './load-shedding/admission';
import { bodyParserErrors } from './problems/body-parser-errors';
import { GroupsRepository } from './groups/groups.repository';
import { securityHeaders } from './security-headers';

/** The gateway, configured but not listening: `main` listens on the configured port, tests on any. */
export async function createGateway(
  config: GatewayConfig,
  options: { logger?: LogLevel[] | false } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    // Start-up lines wait for pino (observeApp) rather than going out in Nest's plain format.
    ...(options.logger === undefined ? { bufferLogs: true } : { logger: options.logger }),
    // Our own JSON parser with the configured limit; its errors reach the ProblemDetailsFilter (413, 400).
    bodyParser: false,
  });
  // Before anything else reads the request: shedding must cost almost nothing.
  app.use(
    registrationAdmission({
      maxInFlight: config.limits.registrationsInFlight,
      retryAfterSeconds: config.limits.overloadRetryAfterSeconds,
    }),
  );
  app.set('trust proxy', config.limits.trustProxy);
  app.useBodyParser('json', { limit: config.limits.maxBodyBytes, type: ['application/json', 'application/*+json'] });
  app.use(bodyParserErrors);
  observeApp(app, { quiet: options.logger !== undefined });
  // Which framework answers is nobody's business outside.
  app.disable('x-powered-by');
  const groups = app.get(GroupsRepository);
  app.use(securityHeaders({ identityProviders: () => groups.issuerOrigins() }));
  serveOpenApi(app, createOpenApiDocument(app));
  return app;
}
