import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';
import ipaddr from 'ipaddr.js';

export class NotificationConfig {
  readonly service: ServiceConfig;
  /**
   * Where delivery and digest tasks wait for workers. Deployments sharing one Temporal
   * namespace (test platforms) each need their own.
   */
  readonly taskQueue: string;
  /** Staff contacts, levels and property time zones are intake's master data: read over gRPC. */
  readonly intake: { url: string; deadlineMs: number; cacheMs: number };
  /**
   * Sends in flight at once in this process (all events together), and how long one provider
   * request may take before the delivery is handed to its workflow to retry.
   */
  readonly sending: { concurrency: number; timeoutMs: number; allowedCidrs: string[] };

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_notification', httpPort: 8084, grpcPort: 50054 }, env);
    const values = loadEnv(
      z.object({
        NOTIFICATION_TASK_QUEUE: z.string().min(1).default('complaint-notifications'),
        INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
        GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
        DIRECTORY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
        NOTIFICATION_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
        NOTIFICATION_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
        /**
         * Address ranges webhooks may reach although loopback, private or otherwise special
         * (comma-separated CIDRs, e.g. `127.0.0.0/8`); empty: public addresses only.
         */
        OUTBOUND_ALLOWED_CIDRS: z
          .string()
          .default('')
          .transform((text) =>
            text
              .split(',')
              .map((cidr) => cidr.trim())
              .filter(Boolean),
          )
          .refine(
            (cidrs) => cidrs.every((cidr) => ipaddr.isValidCIDR(cidr)),
            'must be comma-separated CIDRs such as 127.0.0.0/8',
          ),
      }),
      env,
    );
    this.taskQueue = values.NOTIFICATION_TASK_QUEUE;
    this.intake = {
      url: values.INTAKE_GRPC_URL,
      deadlineMs: values.GRPC_DEADLINE_MS,
      cacheMs: values.DIRECTORY_CACHE_MS,
    };
    this.sending = {
      concurrency: values.NOTIFICATION_SEND_CONCURRENCY,
      timeoutMs: values.NOTIFICATION_SEND_TIMEOUT_MS,
      allowedCidrs: values.OUTBOUND_ALLOWED_CIDRS,
    };
  }
}
