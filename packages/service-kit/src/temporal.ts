import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type Provider,
  type Type,
} from '@nestjs/common';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  type Next,
  type WorkflowClientInterceptor,
  type WorkflowStartInput,
} from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { grpc } from '@temporalio/proto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BundleOptions,
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type ActivityExecuteInput,
  type ActivityInboundCallsInterceptor,
  type LogEntry,
  type WorkerOptions,
} from '@temporalio/worker';
import type { ServiceConfig } from '@complaints/config';
import type { ReadinessCheck } from './health';
import { metrics } from './telemetry/metrics';
import { currentTracing } from './telemetry/tracing';
import { wholeNumberFromEnv } from './telemetry/store-metrics';

type WithServiceConfig = { service: ServiceConfig };

/** Counts workflow starts by result: a start refused as a duplicate is expected, a failure is not. */
class WorkflowStartMetrics implements WorkflowClientInterceptor {
  async start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>): Promise<string> {
    const workflow = input.workflowType;
    try {
      const runId = await next(input);
      metrics.workflowStarts.inc({ workflow, result: 'started' });
      return runId;
    } catch (error) {
      const result = error instanceof WorkflowExecutionAlreadyStartedError ? 'already_started' : 'failed';
      metrics.workflowStarts.inc({ workflow, result });
      throw error;
    }
  }
}

/** Counts the activities this worker runs: the bench divides them by complaints. */
class ActivityMetrics implements ActivityInboundCallsInterceptor {
  constructor(private readonly activity: string) {}
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      const result: unknown = await next(input);
      metrics.activitiesRun.inc({ activity: this.activity, outcome: 'ok' });
      return result;
    } catch (error) {
      metrics.activitiesRun.inc({ activity: this.activity, outcome: 'failed' });
      throw error;
    }
  }
}

/** Temporal's OpenTelemetry interceptors in the workflow sandbox (bundled with the workflows). */
const WORKFLOW_TRACING_INTERCEPTORS =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

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
        new Client({
          connection,
          namespace: config.service.temporal.namespace,
          // The trace of whatever starts a workflow goes on into it (headers), then into its activities.
          interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor(), new WorkflowStartMetrics()] },
        }),
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

let runtimeInstalled = false;

/**
 * The Temporal SDK's own log lines (worker state, workflow and activity loggers) through Nest's
 * logger, so they are JSON lines with the rest; once per process, before the first worker.
 */
function installTemporalLogging(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const logger = new Logger('temporal');
  const write = ({ level, message, meta }: LogEntry): void => {
    const entry = { msg: message, ...meta };
    if (level === 'ERROR') logger.error(entry);
    else if (level === 'WARN') logger.warn(entry);
    else if (level === 'INFO') logger.log(entry);
    else logger.debug(entry);
  };
  try {
    Runtime.install({ logger: new DefaultLogger('INFO', write) });
  } catch {
    // Already installed by whoever runs this process (a test's own Runtime): keep theirs.
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
  protected abstract workflows(): {
    dir: string;
    workflowsPath: string;
    activities: WorkerOptions['activities'];
    /** See {@link writeWorkflowBundle}: must match what the service's bundle step passes. */
    preloadModules?: string[];
  };

  async onApplicationBootstrap(): Promise<void> {
    const { address, namespace } = this.hostConfig.service.temporal;
    const { dir, workflowsPath, activities, preloadModules } = this.workflows();
    installTemporalLogging();
    const connection = await NativeConnection.connect({ address });
    const tracing = currentTracing();
    // Workflow spans cost each workflow the interceptors' modules and a span per task; when no
    // exporter is configured nobody would see them, so the workers run the untraced bundle.
    const traced = tracing?.exporting ?? false;
    const source = workflowSource(dir, workflowsPath, { preloadModules, traced });
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue: this.hostConfig.taskQueue,
      // Workflows kept in memory between their tasks. The SDK sizes this from the heap, but its
      // workflow thread then ran out of memory with ~8,000 open lifecycles (seen in the bench) and
      // the worker failed; one evicted is replayed from its history on its next task instead.
      maxCachedWorkflows: wholeNumberFromEnv('TEMPORAL_MAX_CACHED_WORKFLOWS', 500),
      ...source,
      activities,
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
          (ctx) => ({ inbound: new ActivityMetrics(ctx.info.activityType) }),
        ],
        // A prebuilt bundle already contains them (writeWorkflowBundle).
        ...(source.workflowsPath && traced ? { workflowModules: [WORKFLOW_TRACING_INTERCEPTORS] } : {}),
      },
      // Workflow code cannot export spans itself; they leave through this sink, to the same exporter.
      sinks: {
        exporter: makeWorkflowExporter(
          tracing?.processor ?? new NoopSpanProcessor(),
          tracing?.resource ?? new Resource({}),
        ),
      },
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

/** The bundle file the build writes into a service's folder, with or without workflow tracing. */
function bundleFile(dir: string, traced: boolean): string {
  return join(dir, traced ? 'workflow-bundle.js' : 'workflow-bundle.untraced.js');
}

/**
 * Keeps webpack from dropping a preloaded library whose package declares no side effects: the
 * preload imports it for its evaluation alone, which that optimisation removes.
 */
type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
const keepPreloadedModules = (config: WebpackConfiguration): WebpackConfiguration => ({
  ...config,
  optimization: { ...config.optimization, sideEffects: false },
});

/** Bundling workflows from source at start-up (tests) as the build does: see {@link writeWorkflowBundle}. */
export function sourceBundlerOptions(preloadModules: string[]): NonNullable<WorkerOptions['bundlerOptions']> {
  return { preloadModules, webpackConfigHook: keepPreloadedModules };
}

/**
 * The prebuilt bundle in `dir` (written by the build) when present; otherwise `workflowsPath`
 * is bundled at start-up from source (tests, ts-node).
 */
export function workflowSource(
  dir: string,
  workflowsPath: string,
  options: { preloadModules?: string[]; traced: boolean },
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  const bundle = bundleFile(dir, options.traced);
  return existsSync(bundle)
    ? { workflowBundle: { codePath: bundle } }
    : {
        workflowsPath,
        bundlerOptions: sourceBundlerOptions(options.preloadModules ?? []),
      };
}

/**
 * Build step: production workers load a prebuilt bundle instead of running webpack at start-up.
 * Two are written, with Temporal's workflow tracing interceptors and without (see the worker).
 *
 * `preloadModules` are evaluated once per worker and shared by every workflow, instead of once
 * per workflow started or replayed: in the bench, evaluating `@complaints/domain` (its zod
 * schemas) and date-fns-tz for each new lifecycle was most of escalation's CPU. Only stateless
 * modules belong here: module state would leak from one workflow into the next.
 */
export async function writeWorkflowBundle(
  workflowsPath: string,
  dir: string,
  preloadModules: string[] = [],
): Promise<void> {
  for (const traced of [true, false]) {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules: traced ? [WORKFLOW_TRACING_INTERCEPTORS] : [],
      preloadModules,
      webpackConfigHook: keepPreloadedModules,
    });
    const target = bundleFile(dir, traced);
    writeFileSync(target, code);
    console.log(`workflow bundle written to ${target}`);
  }
}
