import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { Logger } from '@nestjs/common';

/** Provides the connected EventBus; it drains its consumers before other providers shut down. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: { url: string; name: string; consumerPrefix: string }): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: EventBus,
          useFactory: async () => {
            const bus = await EventBus.connect({ ...options, logger: new Logger(`${options.name}:events`) });
            return Object.assign(bus, { beforeApplicationShutdown: () => bus.close() });
          },
        },
      ],
      exports: [EventBus],
    };
  }
}
