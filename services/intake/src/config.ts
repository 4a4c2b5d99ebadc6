import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';

export class IntakeConfig {
  readonly service: ServiceConfig;
  /** How often the outbox relay looks for events not yet on the stream. */
  readonly outboxRelayIntervalMs: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_intake', httpPort: 8081, grpcPort: 50051 }, env);
    this.outboxRelayIntervalMs = loadEnv(
      z.object({ OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().positive().default(5000) }),
      env,
    ).OUTBOX_RELAY_INTERVAL_MS;
  }
}
