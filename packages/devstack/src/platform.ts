import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { writeGrpcCertificates } from './grpc-certificates';
import { localNatsConfig, localNatsPassword } from './nats-users';
import {
  freePorts,
  repoRoot,
  spawnManaged,
  spawnWatchdog,
  stopManaged,
  waitReady,
  type Managed,
  startInfra,
} from '@complaints/infra';
import type { LocalIssuer } from './staff-sign-in';

export const SERVICES = ['intake', 'routing', 'escalation', 'notification', 'reporting'] as const;

/** Services no request waits on: they work through events (see PLATFORM_BACKGROUND_NICE). */
const BACKGROUND: ReadonlySet<string> = new Set(['routing', 'escalation', 'notification', 'reporting']);

/** A whole number of 0..19 from the environment (a `nice` increment), or `fallback` when unset. */
function niceFromEnv(name: string, raw: string | undefined, fallback: number): number {
  if (!raw?.trim()) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 19) {
    throw new Error(`${name} must be a whole number from 0 to 19, not ${JSON.stringify(raw)}`);
  }
  return value;
}
export type ServiceName = (typeof SERVICES)[number];

/** The ports of `.env.example` in each service: what `make up` uses. */
const DEFAULT_PORTS: Record<ServiceName, { http: number; grpc: number }> = {
  intake: { http: 8081, grpc: 50051 },
  routing: { http: 8082, grpc: 50052 },
  escalation: { http: 8083, grpc: 50053 },
  notification: { http: 8084, grpc: 50054 },
  reporting: { http: 8085, grpc: 50055 },
};
const DEFAULT_GATEWAY_PORT = 8080;
const DEFAULT_ISSUER_PORT = 8086;

/**
 * The password of every seeded staff account at the local issuer. Local only: it is published
 * here, so the local issuer must never run anywhere reachable.
 */
export const LOCAL_STAFF_PASSWORD = 'local-staff-password-never-in-prod';

export interface PlatformOptions {
  infra: { mongoUrl: string; natsUrl: string; temporalAddress: string };
  /** Logs of each service go to `<dataDir>/<service>.log`. */
  dataDir: string;
  /** `default`: the documented ports (8080 for the gateway); `free`: any free ports (tests). */
  ports: 'default' | 'free';
  /** Prefix of each service's database name, so test runs do not see each other's data. */
  dbPrefix?: string;
  /** The gateway's bootstrap admin key (BOOTSTRAP_API_KEY); a fresh one per start when absent. */
  apiKey?: string;
  /** The platform operator's credential (PLATFORM_OPERATOR_KEYS); a fresh one per start when absent. */
  operatorKey?: string;
  /** The NATS server has the local users (localNatsConfig): each service connects as its own. */
  natsUsers?: boolean;
  /** Extra environment for every process (services and gateway), e.g. OTEL_* for a trace test. */
  env?: NodeJS.ProcessEnv;
  /** Extra environment for the gateway only, e.g. a tiny RATE_LIMIT_PER_MINUTE in a test. */
  gatewayEnv?: NodeJS.ProcessEnv;
  /**
   * Only these services (default all): a test that publishes made-up events runs without the
   * services that would react to them. The gateway always runs.
   */
  only?: readonly ServiceName[];
  /**
   * More local OpenID Connect issuers, by name, each with the staff of its seed file as accounts:
   * other groups' identity providers (the platform operator names them when creating a group).
   * Free ports only.
   */
  moreIssuers?: Record<string, { seedFile: string }>;
  /** More than one process of a service (each on its own ports), e.g. `{ routing: 2 }` to test replicas. */
  replicas?: Partial<Record<ServiceName, number>>;
  log?: (line: string) => void;
  timeoutMs?: number;
}

export interface RunningPlatform {
  gatewayUrl: string;
  /** The gateway's database (API keys). */
  gatewayDatabase: string;
  /** An admin API key of the gateway's bootstrap group (`demo-group` unless BOOTSTRAP_GROUP_ID says otherwise). */
  apiKey: string;
  /** The local OpenID Connect issuer the gateway trusts: seeded staff sign in there (signInStaff). */
  oidc: LocalIssuer;
  /** The issuers asked for in `moreIssuers`, by the same names. */
  moreIssuers: Record<string, LocalIssuer>;
  /** The platform operator's credential (PLATFORM_OPERATOR_KEYS): `/v1/platform/…`. */
  operatorKey: string;
  services: Record<ServiceName, { httpUrl: string; grpcAddress: string; database: string }>;
  /** The NATS the services talk over (the platform's own under test). */
  natsUrl: string;
  /** Each process's gRPC certificate directory (GRPC_TLS_DIR), by name: `intake`, `gateway` … */
  grpcTlsDirs: Record<string, string>;
  /** Temporal task queues of the platform's workers (their own under test); reporting's also prefixes its schedule ids. */
  taskQueues: { lifecycle: string; notification: string; reporting: string };
  /** The log file of each process: `routing`, `routing-2` (a second replica), `gateway` … */
  logFiles: Record<string, string>;
  /**
   * Stops the gateway first, then the services (each drains its consumers and workers), each
   * with SIGTERM; how each process ended, by its `logFiles` name (`exited with code 0` …).
   */
  stop(): Promise<Record<string, string>>;
}

/** A new API key in the gateway's format (gateway/src/api-keys/api-key-secret.ts): `ck_<key id>_<secret>`. */
export function newApiKey(): string {
  return `ck_${randomBytes(12).toString('hex')}_${randomBytes(32).toString('base64url')}`;
}

function httpGetStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.setTimeout(2_000, () => request.destroy(new Error(`timeout: ${url}`)));
  });
}

async function readyOrThrow(url: string): Promise<void> {
  const status = await httpGetStatus(url);
  if (status !== 200) throw new Error(`${url} answered ${status}`);
}

/** Starts the five services and the gateway from their built `dist/main.js`. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? 90_000;
  fs.mkdirSync(options.dataDir, { recursive: true });
  const root = repoRoot();

  const extraReplicas = SERVICES.flatMap((name) =>
    Array.from({ length: Math.max(0, (options.replicas?.[name] ?? 1) - 1) }, (_, i) => ({ name, replica: i + 2 })),
  );
  if (extraReplicas.length > 0 && options.ports !== 'free') throw new Error('replicas need free ports');
  const issuerNames = Object.keys(options.moreIssuers ?? {});
  if (issuerNames.length > 0 && options.ports !== 'free') throw new Error('more issuers need free ports');
  const free =
    options.ports === 'free'
      ? await freePorts(SERVICES.length * 2 + 2 + extraReplicas.length * 2 + issuerNames.length)
      : [];
  const issuerPorts = free.splice(free.length - 1 - issuerNames.length, issuerNames.length);
  const ports = Object.fromEntries(
    SERVICES.map((name, i) => [
      name,
      options.ports === 'free' ? { http: free[2 * i], grpc: free[2 * i + 1] } : DEFAULT_PORTS[name],
    ]),
  ) as Record<ServiceName, { http: number; grpc: number }>;
  const gatewayPort = options.ports === 'free' ? free[SERVICES.length * 2] : DEFAULT_GATEWAY_PORT;
  const issuerPort = options.ports === 'free' ? free[free.length - 1] : DEFAULT_ISSUER_PORT;

  const services = Object.fromEntries(
    SERVICES.map((name) => [
      name,
      {
        httpUrl: `http://127.0.0.1:${ports[name].http}`,
        grpcAddress: `127.0.0.1:${ports[name].grpc}`,
        database: `${options.dbPrefix ?? 'complaints_'}${name}`,
      },
    ]),
  ) as RunningPlatform['services'];

  const gatewayDatabase = `${options.dbPrefix ?? 'complaints_'}gateway`;
  const apiKey = options.apiKey ?? newApiKey();
  const operatorKey = options.operatorKey ?? `op_${randomBytes(32).toString('base64url')}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const seedFile = path.join(root, 'services', 'intake', 'seed', 'demo-group.json');
  const oidc: LocalIssuer = {
    issuerUrl: `http://127.0.0.1:${issuerPort}`,
    audience: 'urn:complaints:api',
    clientId: 'complaints-console',
    redirectUri: `${gatewayUrl}/console/callback`,
    password: LOCAL_STAFF_PASSWORD,
    keysFile: path.join(options.dataDir, 'oidc-issuer-keys.json'),
  };

  const moreIssuers = Object.fromEntries(
    issuerNames.map((name, i) => [
      name,
      {
        ...oidc,
        issuerUrl: `http://127.0.0.1:${issuerPorts[i]}`,
        keysFile: path.join(options.dataDir, `oidc-${name}-keys.json`),
      },
    ]),
  );

  // A test platform is a deployment of its own: on a NATS shared with other platforms, its
  // routing would also route their complaints (and find repeats and collectives among them).
  const ownNats =
    options.ports === 'free'
      ? await startInfra({
          dataDir: path.join(options.dataDir, 'nats'),
          servers: ['nats'],
          natsConfig: localNatsConfig(),
          log,
        })
      : undefined;
  const ownQueue = (name: string) => (ownNats ? `${name}-${path.basename(options.dataDir)}-${process.pid}` : name);
  const taskQueues = {
    lifecycle: ownQueue('complaint-lifecycle'),
    notification: ownQueue('complaint-notifications'),
    reporting: ownQueue('complaint-reports'),
  };
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    MONGO_URL: options.infra.mongoUrl,
    NATS_URL: ownNats?.natsUrl ?? options.infra.natsUrl,
    // Test platforms share Temporal: their own task queue keeps each one's workflows on its own workers.
    TEMPORAL_TASK_QUEUE: taskQueues.lifecycle,
    TEMPORAL_ADDRESS: options.infra.temporalAddress,
    HOST: '127.0.0.1',
    NO_COLOR: '1',
    ...options.env,
  };
  const backgroundNice = niceFromEnv('PLATFORM_BACKGROUND_NICE', process.env.PLATFORM_BACKGROUND_NICE, 10);
  const started: Managed[] = [];
  const logFiles: Record<string, string> = {};
  const spawnNode = (name: string, entry: string, env: NodeJS.ProcessEnv, background = false): Managed => {
    logFiles[name] = path.join(options.dataDir, `${name}.log`);
    // PLATFORM_NODE_ARGS: flags for every service's node (e.g. `--cpu-prof --cpu-prof-dir=…` to profile
    // a bench run); Node refuses profiling flags in NODE_OPTIONS.
    const nodeArgs = (process.env.PLATFORM_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const command = [process.execPath, ...nodeArgs, entry];
    // Services that only consume events run at a lower CPU priority (all their threads, hence
    // `nice` at exec): when a burst takes every core, registrations are answered first and the
    // events wait in JetStream, as CPU requests do for these services on Kubernetes.
    if (background && backgroundNice > 0) command.unshift('nice', '-n', String(backgroundNice));
    const managed = spawnManaged(name, command[0], command.slice(1), logFiles[name], env, log);
    started.push(managed);
    return managed;
  };
  let watchdog: ReturnType<typeof spawnWatchdog> | undefined;
  const stop = async (): Promise<Record<string, string>> => {
    // Reverse order: the gateway stops taking requests before the services go.
    for (const managed of started.slice().reverse()) await stopManaged(managed, log);
    watchdog?.kill();
    await ownNats?.stop();
    return Object.fromEntries(started.map((managed) => [managed.name, managed.exitInfo ?? 'running']));
  };

  // Mutual TLS on gRPC, as in production: each process proves which service it is.
  const tlsDirs = writeGrpcCertificates(path.join(options.dataDir, 'grpc-tls'), [...SERVICES, 'gateway']);
  try {
    const serviceEnv = (name: ServiceName, port: { http: number; grpc: number }): NodeJS.ProcessEnv => ({
      ...baseEnv,
      GRPC_TLS_DIR: tlsDirs[name],
      // Its own NATS user, allowed to publish only its own events.
      ...(ownNats || options.natsUsers ? { NATS_USER: name, NATS_PASSWORD: localNatsPassword(name) } : {}),
      MONGO_DB: services[name].database,
      HTTP_PORT: String(port.http),
      GRPC_PORT: String(port.grpc),
      // The demo group's master data (properties, departments, staff), loaded by intake.
      ...(name === 'intake' ? { SEED_FILE: seedFile } : {}),
      // Routing, escalation, notification and reporting read master data (properties, departments, staff) from intake.
      ...(name === 'routing' || name === 'escalation' || name === 'notification' || name === 'reporting'
        ? { INTAKE_GRPC_URL: `127.0.0.1:${ports.intake.grpc}` }
        : {}),
      // Its own task queue: escalation's workers do not run delivery workflows.
      // Local receivers and providers listen on loopback, which a deployment's webhooks never reach.
      ...(name === 'notification'
        ? {
            NOTIFICATION_TASK_QUEUE: taskQueues.notification,
            // Survey links open this platform's console.
            SURVEY_LINK_BASE_URL: `${gatewayUrl}/console/survey/`,
            // A test of the outbound guard narrows it (`env`); everything else reaches local receivers.
            OUTBOUND_ALLOWED_CIDRS: options.env?.OUTBOUND_ALLOWED_CIDRS ?? '127.0.0.0/8,::1/128',
            PROVIDER_HOSTS: `${process.env.PROVIDER_HOSTS ?? 'dysmsapi.aliyuncs.com,api.weixin.qq.com'},127.0.0.1,localhost`,
          }
        : {}),
      ...(name === 'reporting'
        ? { REPORTING_TASK_QUEUE: taskQueues.reporting, NOTIFICATION_GRPC_URL: services.notification.grpcAddress }
        : {}),
      // The files of the scheduled reports it mails.
      ...(name === 'notification' ? { REPORTING_GRPC_URL: services.reporting.grpcAddress } : {}),
    });
    const entryOf = (name: ServiceName) => path.join(root, 'services', name, 'dist', 'main.js');
    const processes = [
      ...SERVICES.filter((name) => !options.only || options.only.includes(name)).map((name) => ({
        label: name,
        name,
        port: ports[name],
      })),
      ...extraReplicas.map(({ name, replica }, i) => ({
        label: `${name}-${replica}`,
        name,
        port: { http: free[SERVICES.length * 2 + 1 + 2 * i], grpc: free[SERVICES.length * 2 + 2 + 2 * i] },
      })),
    ];
    await Promise.all(
      processes.map(({ label, name, port }) =>
        waitReady(spawnNode(label, entryOf(name), serviceEnv(name, port), BACKGROUND.has(name)), timeoutMs, () =>
          readyOrThrow(`http://127.0.0.1:${port.http}/readyz`),
        ),
      ),
    );
    const startIssuer = async (name: string, issuer: LocalIssuer, seed: string) => {
      const child = spawnNode(name, path.join(root, 'packages', 'oidc-issuer', 'dist', 'main.js'), {
        ...baseEnv,
        HTTP_PORT: new URL(issuer.issuerUrl).port,
        OIDC_ISSUER_URL: issuer.issuerUrl,
        SEED_FILE: seed,
        OIDC_LOCAL_PASSWORD: issuer.password,
        OIDC_KEYS_FILE: issuer.keysFile,
        OIDC_AUDIENCE: issuer.audience,
        OIDC_CLIENT_ID: issuer.clientId,
        // The console at the gateway, by either loopback name; locally also Vite's dev server (npm run dev -w @complaints/console).
        OIDC_REDIRECT_URIS: [
          issuer.redirectUri,
          issuer.redirectUri.replace('//127.0.0.1:', '//localhost:'),
          ...(options.ports === 'free'
            ? []
            : ['http://localhost:5173/console/callback', 'http://127.0.0.1:5173/console/callback']),
        ].join(','),
      });
      await waitReady(child, timeoutMs, () => readyOrThrow(`${issuer.issuerUrl}/healthz`));
    };
    await Promise.all([
      startIssuer('oidc-issuer', oidc, seedFile),
      ...issuerNames.map((name) =>
        startIssuer(`oidc-issuer-${name}`, moreIssuers[name], options.moreIssuers?.[name]?.seedFile ?? ''),
      ),
    ]);
    const gateway = spawnNode('gateway', path.join(root, 'gateway', 'dist', 'main.js'), {
      ...baseEnv,
      MONGO_DB: gatewayDatabase,
      GRPC_TLS_DIR: tlsDirs.gateway,
      BOOTSTRAP_API_KEY: apiKey,
      HTTP_PORT: String(gatewayPort),
      INTAKE_GRPC_URL: services.intake.grpcAddress,
      ROUTING_GRPC_URL: services.routing.grpcAddress,
      ESCALATION_GRPC_URL: services.escalation.grpcAddress,
      NOTIFICATION_GRPC_URL: services.notification.grpcAddress,
      REPORTING_GRPC_URL: services.reporting.grpcAddress,
      OIDC_ISSUER_URL: oidc.issuerUrl,
      OIDC_AUDIENCE: oidc.audience,
      PLATFORM_OPERATOR_KEYS: operatorKey,
      // A local platform: the staff console also offers developer sign-in (an API key acting as a staff member).
      CONSOLE_DEVELOPER_SIGN_IN: 'true',
      ...options.gatewayEnv,
    });
    await waitReady(gateway, timeoutMs, () => readyOrThrow(`${gatewayUrl}/readyz`));
    watchdog = spawnWatchdog(
      started.map((managed) => managed.child.pid).filter((pid): pid is number => pid !== undefined),
    );
    return {
      gatewayUrl,
      gatewayDatabase,
      apiKey,
      oidc,
      moreIssuers,
      operatorKey,
      services,
      natsUrl: ownNats?.natsUrl ?? options.infra.natsUrl,
      grpcTlsDirs: tlsDirs,
      taskQueues,
      logFiles,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
