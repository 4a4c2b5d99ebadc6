import { Logger } from '@nestjs/common';
import { run } from '@complaints/service-kit';
import { createGateway } from './app';
import { GatewayConfig } from './config';

run(async () => {
  const config = new GatewayConfig();
  const app = await createGateway(config);
  await app.listen(config.httpPort, config.host);
  new Logger('gateway').log(`ready: http://${config.host}:${config.httpPort} (API documentation at /docs)`);
});
