import { loadEnv, serviceConfig, z, type ServiceConfig } from '@complaints/config';
import { LIFECYCLE_TASK_QUEUE } from './lifecycle/types';

export class EscalationConfig {
  readonly service: ServiceConfig;
  /**
   * Where lifecycle tasks wait for workers. Deployments sharing one Temporal namespace (test
   * platforms) each need their own, or one deployment's workers run another's workflows.
   */
  readonly taskQueue: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.service = serviceConfig({ db: 'complaints_escalation', httpPort: 8083, grpcPort: 50053 }, env);
    this.taskQueue = loadEnv(
      z.object({ TEMPORAL_TASK_QUEUE: z.string().min(1).default(LIFECYCLE_TASK_QUEUE) }),
      env,
    ).TEMPORAL_TASK_QUEUE;
  }
}
