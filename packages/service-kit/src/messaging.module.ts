import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { measureConsumerLag, metrics } from './telemetry/metrics';

/** Provides the connected EventBus, closed in two steps on shutdown (see below). */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: {
    url: string;
    name: string;
    consumerPrefix: string;
    concurrency: number;
    credentials?: { user: string; pass: string };
  }): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: EventBus,
          useFactory: async () => {
            const bus = await EventBus.connect({
              ...options,
              logger: new Logger(`${options.name}:events`),
              observer: {
                settled: ({ consumer, type, outcome, deliveryCount }) => {
                  metrics.eventsConsumed.inc({ consumer, type, outcome });
                  if (deliveryCount > 1) metrics.eventsRedelivered.inc({ consumer });
                },
                published: ({ type }) => metrics.eventsPublished.inc({ type }),
                inFlight: ({ consumer, running, waiting }) => {
                  metrics.consumerInFlight.set({ consumer, state: 'running' }, running);
                  metrics.consumerInFlight.set({ consumer, state: 'waiting' }, waiting);
                },
              },
            });
            measureConsumerLag(() => bus.lag());
            // Consumers stop first (with the worker); the connection drains after the gRPC server
            // has finished its calls in progress, which may still publish.
            return Object.assign(bus, {
              beforeApplicationShutdown: () => bus.stopConsuming(),
              onApplicationShutdown: () => bus.close(),
            });
          },
        },
      ],
      exports: [EventBus],
    };
  }
}
