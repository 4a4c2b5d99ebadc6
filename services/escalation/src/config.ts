import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';
import { LIFECYCLE_TASK_QUEUE } from './lifecycle/types';

export class EscalationConfig {
  readonly service: ServiceConfig;
  /**
   * Where lifecycle tasks wait for workers. Deployments sharing one Temporal namespace (test
   * platforms) each need their own, or one deployment's workers run another's workflows.
   */
  readonly taskQueue: string;
  /** Master data (properties, staff and their levels) is intake's: read over gRPC. */
  readonly intake: { url: string; deadlineMs: number; cacheMs: number };
  /**
   * How long a deadline policy or calendar read for a lifecycle start is reused (0: never). This
   * replica's own writes take effect at once; another replica's within this time.
   */
  readonly policyCacheMs: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_escalation', httpPort: 8083, grpcPort: 50053 }, env);
    const values = loadEnv(
      z.object({
        TEMPORAL_TASK_QUEUE: z.string().min(1).default(LIFECYCLE_TASK_QUEUE),
        INTAKE_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
        GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
        DIRECTORY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
        POLICY_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
      }),
      env,
    );
    this.taskQueue = values.TEMPORAL_TASK_QUEUE;
    this.intake = {
      url: values.INTAKE_GRPC_URL,
      deadlineMs: values.GRPC_DEADLINE_MS,
      cacheMs: values.DIRECTORY_CACHE_MS,
    };
    this.policyCacheMs = values.POLICY_CACHE_MS;
  }
}
