// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('gateway');

import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { run, stopOnSignals } from '@complaints/service-kit';
import { createGateway } from './app';
import { GatewayConfig } from './config';

run(async () => {
  const config = new GatewayConfig();
  const app = await createGateway(config);
  stopOnSignals(app, 'gateway');
  const server: Server = app.getHttpServer();
  // Idle connections stay open longer than load balancers and partners' connection pools keep
  // them (60 s is common): with Node's 5 s, a client could send on a connection the gateway was
  // closing at that very moment and get no answer at all (seen in the bench, under bursts).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(config.httpPort, config.host);
  new Logger('gateway').log(`ready: http://${config.host}:${config.httpPort} (API documentation at /docs)`);
});
