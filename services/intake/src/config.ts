import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';

export class IntakeConfig {
  readonly service: ServiceConfig;
  /** How often the outbox relay looks for events not yet on the stream. */
  readonly outboxRelayIntervalMs: number;
  /** Largest attachment accepted, in bytes. */
  readonly attachmentMaxBytes: number;
  /** Master data loaded at start-up (the local demo group); unset in production. */
  readonly seedFile: string | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_intake', httpPort: 8081, grpcPort: 50051 }, env);
    const values = loadEnv(
      z.object({
        OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().positive().default(5000),
        SEED_FILE: z.string().min(1).optional(),
        ATTACHMENT_MAX_BYTES: z.coerce
          .number()
          .int()
          .positive()
          .max(15 * 1024 * 1024)
          .default(10 * 1024 * 1024),
      }),
      env,
    );
    this.outboxRelayIntervalMs = values.OUTBOX_RELAY_INTERVAL_MS;
    this.seedFile = values.SEED_FILE;
    this.attachmentMaxBytes = values.ATTACHMENT_MAX_BYTES;
  }
}
