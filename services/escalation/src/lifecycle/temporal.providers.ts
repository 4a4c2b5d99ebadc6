import { Injectable, type Provider } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import type { ReadinessCheck } from '@complaints/service-kit';
import { EscalationConfig } from '../config';

/** The connection to the Temporal frontend, injected by its class; closed with the app. */
export const temporalProviders: Provider[] = [
  {
    provide: Connection,
    inject: [EscalationConfig],
    useFactory: async (config: EscalationConfig) => {
      const connection = await Connection.connect({ address: config.service.temporal.address });
      return Object.assign(connection, { onApplicationShutdown: () => connection.close() });
    },
  },
  {
    provide: Client,
    inject: [Connection, EscalationConfig],
    useFactory: (connection: Connection, config: EscalationConfig) =>
      new Client({ connection, namespace: config.service.temporal.namespace }),
  },
];

@Injectable()
export class TemporalReadiness implements ReadinessCheck {
  readonly name = 'temporal';
  constructor(private readonly connection: Connection) {}
  async isReady(): Promise<boolean> {
    const response = await this.connection.healthService.check({});
    return response.status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
  }
}
