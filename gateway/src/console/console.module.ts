import { Module } from '@nestjs/common';
import { ConsoleConfig } from './console.config';
import { ConsoleController } from './console.controller';

/** Serves the staff console and its public configuration (console.controller.ts). */
@Module({
  controllers: [ConsoleController],
  providers: [{ provide: ConsoleConfig, useFactory: () => new ConsoleConfig() }],
})
export class ConsoleModule {}
