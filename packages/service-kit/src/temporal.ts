import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type Provider,
  type Type,
} from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { ServiceConfig } from '@complaints/config';
import type { ReadinessCheck } from './health';

type WithServiceConfig = { service: ServiceConfig };

/** The connection to the Temporal frontend and a client on it, injected by class; closed with the app. */
export function temporalProviders(configClass: Type<WithServiceConfig>): Provider[] {
  return [
    {
      provide: Connection,
      inject: [configClass],
      useFactory: async (config: WithServiceConfig) => {
        const connection = await Connection.connect({ address: config.service.temporal.address });
        return Object.assign(connection, { onApplicationShutdown: () => connection.close() });
      },
    },
    {
      provide: Client,
      inject: [Connection, configClass],
      useFactory: (connection: Connection, config: WithServiceConfig) =>
        new Client({ connection, namespace: config.service.temporal.namespace }),
    },
  ];
}

@Injectable()
export class TemporalReadiness implements ReadinessCheck {
  readonly name = 'temporal';
  constructor(private readonly connection: Connection) {}
  async isReady(): Promise<boolean> {
    const response = await this.connection.healthService.check({});
    return response.status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
  }
}

/**
 * Runs a service's Temporal worker with the app. On shutdown it stops polling, lets running
 * activities finish, then resolves; a worker that dies on its own takes the process down so
 * that the orchestrator restarts it rather than leaving timers unwatched.
 */
export abstract class TemporalWorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly hostLogger = new Logger(TemporalWorkerHost.name);
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(private readonly hostConfig: { service: ServiceConfig; taskQueue: string }) {}

  /**
   * The workflows: `workflowsPath` is their entry file, whose prebuilt bundle the build writes
   * into `dir` (see {@link workflowSource}); and the activities they call.
   */
  protected abstract workflows(): { dir: string; workflowsPath: string; activities: WorkerOptions['activities'] };

  async onApplicationBootstrap(): Promise<void> {
    const { address, namespace } = this.hostConfig.service.temporal;
    const { dir, workflowsPath, activities } = this.workflows();
    const connection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue: this.hostConfig.taskQueue,
      ...workflowSource(dir, workflowsPath),
      activities,
    });
    this.worker = worker;
    this.running = worker.run().then(
      () => connection.close(),
      (error: unknown) => {
        this.hostLogger.error(`worker on ${worker.options.taskQueue} stopped: ${String(error)}`);
        process.exit(1);
      },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker?.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
  }
}

/**
 * The prebuilt bundle in `dir` (written by the build) when present; otherwise `workflowsPath`
 * is bundled at start-up from source (tests, ts-node).
 */
export function workflowSource(
  dir: string,
  workflowsPath: string,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = join(dir, 'workflow-bundle.js');
  return existsSync(bundle) ? { workflowBundle: { codePath: bundle } } : { workflowsPath };
}

/** Build step: production workers load this bundle instead of running webpack at start-up. */
export async function writeWorkflowBundle(workflowsPath: string, dir: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath });
  const target = join(dir, 'workflow-bundle.js');
  writeFileSync(target, code);
  console.log(`workflow bundle written to ${target}`);
}
