import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';

export class ReportingConfig {
  readonly service: ServiceConfig;
  /**
   * Where scheduled report tasks wait for workers. Deployments sharing one Temporal namespace
   * (test platforms) each need their own; it also prefixes the schedule ids.
   */
  readonly taskQueue: string;
  /** How often stale rollups are recomputed in the background. */
  readonly refreshIntervalMs: number;
  /** How long after a failed attempt to create a group's report schedules the next one is made. */
  readonly scheduleRetryMs: number;
  /** Property and region names for exports are intake's master data. */
  readonly intake: { url: string; deadlineMs: number; cacheMs: number };
  /** Scheduled reports are handed to notification, which mails them to the heads of their scope. */
  readonly notification: { url: string; deadlineMs: number };

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_reporting', httpPort: 8085, grpcPort: 50055 }, env);
    const values = loadEnv(
      z.object({
        REPORTING_TASK_QUEUE: z.string().min(1).default('complaint-reports'),
        REPORTING_REFRESH_MS: z.coerce.number().int().positive().default(5_000),
        REPORTING_SCHEDULE_RETRY_MS: z.coerce.number().int().min(0).default(30_000),
        INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
        NOTIFICATION_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
        GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
        DIRECTORY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
      }),
      env,
    );
    this.taskQueue = values.REPORTING_TASK_QUEUE;
    this.refreshIntervalMs = values.REPORTING_REFRESH_MS;
    this.scheduleRetryMs = values.REPORTING_SCHEDULE_RETRY_MS;
    this.intake = {
      url: values.INTAKE_GRPC_URL,
      deadlineMs: values.GRPC_DEADLINE_MS,
      cacheMs: values.DIRECTORY_CACHE_MS,
    };
    this.notification = { url: values.NOTIFICATION_GRPC_URL, deadlineMs: values.GRPC_DEADLINE_MS };
  }
}
