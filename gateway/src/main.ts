// First of all: tracing patches http and gRPC, so it must start before anything loads them.
import { startTracing } from '@complaints/service-kit/dist/telemetry/tracing';
startTracing('gateway');

import { Logger } from '@nestjs/common';
import { run, stopOnSignals } from '@complaints/service-kit';
import { createGateway } from './app';
import { GatewayConfig } from './config';

run(async () => {
  const config = new GatewayConfig();
  const app = await createGateway(config);
  stopOnSignals(app, 'gateway');
  await app.listen(config.httpPort, config.host);
  new Logger('gateway').log(`ready: http://${config.host}:${config.httpPort} (API documentation at /docs)`);
});
