import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { EventBus } from '@complaints/messaging';
import { EscalationConfig } from '../config';
import { createActivities } from './activities';

/** The prebuilt bundle (`npm run build`) when present; otherwise bundled at start-up from source. */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = join(__dirname, 'workflow-bundle.js');
  return existsSync(bundle)
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath: require.resolve('./workflow') };
}

/**
 * Runs the lifecycle workflows and activities. On shutdown it stops polling, lets running
 * activities finish, then resolves; a worker that dies on its own takes the process down
 * so that the orchestrator restarts it rather than leaving deadlines unwatched.
 */
@Injectable()
export class LifecycleWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleWorker.name);
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    private readonly config: EscalationConfig,
    private readonly bus: EventBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = await NativeConnection.connect({ address: this.config.service.temporal.address });
    const worker = await Worker.create({
      connection,
      namespace: this.config.service.temporal.namespace,
      taskQueue: this.config.taskQueue,
      ...workflowSource(),
      activities: createActivities({ bus: this.bus }),
    });
    this.worker = worker;
    this.running = worker.run().then(
      () => connection.close(),
      (error: unknown) => {
        this.logger.error(`lifecycle worker stopped: ${String(error)}`);
        process.exit(1);
      },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker?.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
  }
}
