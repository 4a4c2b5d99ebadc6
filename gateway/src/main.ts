import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { run } from '@complaints/service-kit';
import { AppModule } from './app.module';
import { GatewayConfig } from './config';

run(async () => {
  const config = new GatewayConfig();
  const app = await NestFactory.create(AppModule.register(config), { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  await app.listen(config.httpPort, config.host);
  new Logger('gateway').log(`ready: http://${config.host}:${config.httpPort}`);
});
