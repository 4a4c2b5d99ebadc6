/**
 * Starts the real local infrastructure on loopback: FerretDB (MongoDB wire protocol on SQLite),
 * NATS with JetStream and the Temporal dev server. Binaries come from `install.sh`.
 *
 * Any of MONGO_URL / NATS_URL / TEMPORAL_ADDRESS set in the environment means "use that external
 * server": it is not started and its value is returned as is.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export interface InfraBinaries {
  temporal: string;
  temporalTestServer: string;
  natsServer: string;
  ferretdb: string;
}

export interface InfraPorts {
  mongo: number;
  nats: number;
  temporal: number;
  /** Temporal Web UI; when not given the dev server runs headless. */
  temporalUi: number;
}

export interface StartInfraOptions {
  /** Data and log directory (created if missing). Reusing it keeps data across runs. */
  dataDir: string;
  ports?: Partial<InfraPorts>;
  log?: (line: string) => void;
  /** Readiness timeout per server in ms (default 60 000). */
  timeoutMs?: number;
  /**
   * Start exactly these servers, whatever the environment says (a test that needs its own NATS
   * to stop and restart); the others are taken from the environment. Default: every server
   * whose URL variable is unset.
   */
  servers?: ('mongo' | 'nats' | 'temporal')[];
}

export interface RunningInfra {
  /** `mongodb://127.0.0.1:PORT/` (callers pick their database). */
  mongoUrl: string;
  /** `nats://127.0.0.1:PORT` */
  natsUrl: string;
  /** `127.0.0.1:PORT` (Temporal frontend gRPC); the `default` namespace exists. */
  temporalAddress: string;
  /** SIGTERM every child started here, SIGKILL after 10 s; resolves once all have exited. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const KILL_AFTER_MS = 10_000;
const LOG_TAIL_LINES = 30;

/** `<repo root>` as seen from this file (works from both `src/` and `dist/`). */
export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

/** Where install.sh puts everything: $INFRA_HOME or `<repo root>/.infra`. */
export function infraHome(): string {
  return path.resolve(process.env.INFRA_HOME || path.join(repoRoot(), '.infra'));
}

/** Absolute path of install.sh. */
export const installScript: string = path.resolve(__dirname, '..', 'install.sh');

const BINARY_FILES: Record<keyof InfraBinaries, string> = {
  temporal: 'temporal',
  temporalTestServer: 'temporal-test-server',
  natsServer: 'nats-server',
  ferretdb: 'ferretdb',
};

function binary(name: keyof InfraBinaries): string {
  const file = path.join(infraHome(), 'bin', BINARY_FILES[name]);
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new Error(
      `Infrastructure binary ${file} is missing. Run \`bash ${installScript}\` ` +
        '(or `npm run install-binaries -w @complaints/infra`) first.',
    );
  }
  return file;
}

/** Absolute paths of the installed binaries; throws (telling to run install.sh) if one is missing. */
export function binaries(): InfraBinaries {
  return {
    temporal: binary('temporal'),
    temporalTestServer: binary('temporalTestServer'),
    natsServer: binary('natsServer'),
    ferretdb: binary('ferretdb'),
  };
}

/** Runs install.sh (a ~10 ms no-op when already installed) and returns the binaries. */
export function ensureInstalled(): InfraBinaries {
  execFileSync('bash', [installScript], { stdio: ['ignore', 'ignore', 'inherit'] });
  return binaries();
}

/** `n` distinct free TCP ports on 127.0.0.1 (all held open until every one is chosen). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, HOST, () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

async function assertPortFree(port: number, what: string): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => resolve());
    });
  } catch (err) {
    throw new Error(`${what}: port ${HOST}:${port} is not available (${(err as Error).message})`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// ---- child process bookkeeping ------------------------------------------------------------------

const live = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllSync(signal: NodeJS.Signals): void {
  for (const child of live) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function onExit(): void {
  killAllSync('SIGTERM');
}

function onSignal(signal: NodeJS.Signals): void {
  // Somebody else handles this signal (e.g. a CLI that calls stop()): leave it to them.
  if (process.listenerCount(signal) > 1) return;
  // We are the only listener, so the default action (die) was intended: clean up, then die.
  killAllSync('SIGTERM');
  removeHooks();
  process.kill(process.pid, signal);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function removeHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

export interface Managed {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<void>;
  exitInfo?: string;
}

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Managed {
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    // Not detached: same process group, so a terminal Ctrl-C reaches the children too.
    child = spawn(command, args, { stdio: ['ignore', fd, fd], env, detached: false });
  } finally {
    fs.closeSync(fd);
  }
  live.add(child);
  installHooks();
  const managed: Managed = {
    name,
    child,
    logFile,
    exited: new Promise<void>((resolve) => {
      const done = (info: string): void => {
        if (managed.exitInfo === undefined) managed.exitInfo = info;
        live.delete(child);
        if (live.size === 0) removeHooks();
        resolve();
      };
      child.once('exit', (code, signal) => done(signal ? `killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (err) => done(`failed to start: ${err.message}`));
    }),
  };
  log(`[infra] ${name}: started pid ${child.pid}, log ${logFile}`);
  return managed;
}

function tail(file: string, lines = LOG_TAIL_LINES): string {
  try {
    const all = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function stopManaged(m: Managed, log: (line: string) => void): Promise<void> {
  // Ctrl-C reaches the whole process group: children often stop on their own first.
  if (m.exitInfo !== undefined) {
    log(`[infra] ${m.name}: stopped (${m.exitInfo})`);
    return;
  }
  m.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), KILL_AFTER_MS);
  });
  const result = await Promise.race([m.exited, killed]);
  clearTimeout(timer);
  if (result === 'timeout' && m.exitInfo === undefined) {
    log(`[infra] ${m.name}: no exit ${KILL_AFTER_MS / 1000}s after SIGTERM, sending SIGKILL`);
    m.child.kill('SIGKILL');
    await m.exited;
  }
  log(`[infra] ${m.name}: stopped (${m.exitInfo})`);
}

/**
 * Watchdog: if this Node process dies without running its 'exit' handlers (SIGKILL, OOM),
 * a tiny `sh` loop notices and terminates the children. It is stopped by stop().
 */
export function spawnWatchdog(pids: number[]): ChildProcess {
  const list = pids.join(' ');
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `kill -TERM ${list} 2>/dev/null; ` +
    `for i in $(seq ${KILL_AFTER_MS / 1000}); do ` +
    `alive=; for p in ${list}; do kill -0 $p 2>/dev/null && alive="$alive $p"; done; ` +
    `[ -z "$alive" ] && exit 0; sleep 1; done; ` +
    `kill -KILL $alive 2>/dev/null; exit 0`;
  const dog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: false });
  dog.on('error', () => undefined);
  dog.unref();
  return dog;
}

// ---- readiness ------------------------------------------------------------------------------------

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects once; resolves with the first chunk the server sends (or '' after `waitDataMs`). */
function probeTcp(port: number, waitDataMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    let data = '';
    const finish = (err?: Error): void => {
      socket.destroy();
      if (err) reject(err);
      else resolve(data);
    };
    socket.setTimeout(2_000, () => finish(new Error('connect timeout')));
    socket.once('error', (err) => finish(err));
    socket.once('connect', () => {
      if (waitDataMs <= 0) return finish();
      socket.setTimeout(waitDataMs, () => finish());
      socket.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8');
        if (data.includes('\n')) finish();
      });
    });
  });
}

function execQuiet(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: timeoutMs }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${err.message.split('\n')[0]} ${String(stderr).trim()}`.trim()));
      else resolve();
    });
  });
}

/** Polls `check` until it resolves; fails early if the child exits, or after `timeoutMs`. */
export async function waitReady(m: Managed, timeoutMs: number, check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not checked yet';
  for (;;) {
    if (m.exitInfo !== undefined) {
      throw new Error(`${m.name} ${m.exitInfo} before becoming ready. Last lines of ${m.logFile}:\n${tail(m.logFile)}`);
    }
    try {
      await check();
      return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${m.name} not ready after ${timeoutMs} ms (last check: ${lastError}). Last lines of ${m.logFile}:\n${tail(m.logFile)}`,
      );
    }
    await Promise.race([sleep(200), m.exited]);
  }
}

// ---- the servers ----------------------------------------------------------------------------------

function withoutTemporalEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('TEMPORAL_')) out[k] = v;
  return out;
}

function envValue(name: string): string | undefined {
  const v = process.env[name];
  return v && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * Starts FerretDB, NATS (JetStream) and the Temporal dev server on 127.0.0.1, unless MONGO_URL,
 * NATS_URL or TEMPORAL_ADDRESS (respectively) is set, and waits until each is ready
 * (Temporal: the `default` namespace answers). Logs go to `<dataDir>/<name>.log`.
 */
export async function startInfra(opts: StartInfraOptions): Promise<RunningInfra> {
  const log = opts.log ?? ((): void => undefined);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });

  const only = opts.servers;
  const fromEnv = (server: 'mongo' | 'nats' | 'temporal', variable: string): string | undefined =>
    only ? (only.includes(server) ? undefined : (envValue(variable) ?? '')) : envValue(variable);
  const external = {
    mongo: fromEnv('mongo', 'MONGO_URL'),
    nats: fromEnv('nats', 'NATS_URL'),
    temporal: fromEnv('temporal', 'TEMPORAL_ADDRESS'),
  };
  const wanted = {
    mongo: external.mongo === undefined,
    nats: external.nats === undefined,
    temporal: external.temporal === undefined,
  };
  for (const [k, v] of Object.entries(external)) {
    if (v !== undefined) log(`[infra] ${k}: using external ${v} (from environment), not starting it`);
  }

  // Resolve binaries first so a missing install fails before anything starts.
  const bins = {
    ferretdb: wanted.mongo ? binary('ferretdb') : '',
    nats: wanted.nats ? binary('natsServer') : '',
    temporal: wanted.temporal ? binary('temporal') : '',
  };

  // Ports: explicit ones must be free; the rest are ephemeral ports chosen together.
  const ports: Partial<InfraPorts> = { ...opts.ports };
  const needed: (keyof InfraPorts)[] = [];
  if (wanted.mongo) needed.push('mongo');
  if (wanted.nats) needed.push('nats');
  if (wanted.temporal) needed.push('temporal');
  if (wanted.temporal && ports.temporalUi !== undefined) needed.push('temporalUi');
  const toPick = needed.filter((k) => ports[k] === undefined);
  for (const k of needed) if (ports[k] !== undefined) await assertPortFree(ports[k], k);
  const picked = await freePorts(toPick.length);
  toPick.forEach((k, i) => (ports[k] = picked[i]));

  const started: Managed[] = [];
  let stopping: Promise<void> | undefined;
  let watchdog: ChildProcess | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(started.map((m) => stopManaged(m, log)));
      watchdog?.kill('SIGTERM');
    })();
    return stopping;
  };

  const checks: Promise<void>[] = [];
  try {
    if (wanted.mongo) {
      const port = ports.mongo as number;
      const dir = path.join(dataDir, 'ferretdb');
      fs.mkdirSync(dir, { recursive: true });
      const m = spawnManaged(
        'ferretdb',
        bins.ferretdb,
        ['-listen', `${HOST}:${port}`, '-dir', dir, '-log-level', 'warn'],
        path.join(dataDir, 'ferretdb.log'),
        process.env,
        log,
      );
      started.push(m);
      checks.push(waitReady(m, timeoutMs, () => probeTcp(port, 0).then(() => undefined)));
    }

    if (wanted.nats) {
      const port = ports.nats as number;
      const dir = path.join(dataDir, 'nats');
      fs.mkdirSync(dir, { recursive: true });
      const m = spawnManaged(
        'nats',
        bins.nats,
        ['-a', HOST, '-p', String(port), '-js', '-sd', dir],
        path.join(dataDir, 'nats.log'),
        process.env,
        log,
      );
      started.push(m);
      // The server greets with `INFO {...}`; JetStream must be on.
      checks.push(
        waitReady(m, timeoutMs, async () => {
          const greeting = await probeTcp(port, 2_000);
          if (!greeting.startsWith('INFO '))
            throw new Error(`unexpected greeting ${JSON.stringify(greeting.slice(0, 80))}`);
          if (!/"jetstream"\s*:\s*true/.test(greeting)) throw new Error('JetStream is not enabled');
        }),
      );
    }

    if (wanted.temporal) {
      const port = ports.temporal as number;
      const address = `${HOST}:${port}`;
      const env = withoutTemporalEnv(process.env);
      const args = [
        'server',
        'start-dev',
        '--ip',
        HOST,
        '--port',
        String(port),
        '--db-filename',
        path.join(dataDir, 'temporal.db'),
        '--sqlite-pragma',
        'journal_mode=WAL',
        '--sqlite-pragma',
        'synchronous=OFF',
        '--log-level',
        'warn',
      ];
      // Other listeners (HTTP API, metrics, history/matching/worker) use random free ports by default.
      if (ports.temporalUi !== undefined) args.push('--ui-ip', HOST, '--ui-port', String(ports.temporalUi));
      else args.push('--headless');
      const m = spawnManaged('temporal', bins.temporal, args, path.join(dataDir, 'temporal.log'), env, log);
      started.push(m);
      checks.push(
        waitReady(m, timeoutMs, async () => {
          await probeTcp(port, 0);
          await execQuiet(
            bins.temporal,
            ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', address],
            env,
            10_000,
          );
        }),
      );
    }

    if (started.length > 0) {
      watchdog = spawnWatchdog(started.map((m) => m.child.pid).filter((p): p is number => p !== undefined));
    }
    const results = await Promise.allSettled(checks);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw new Error(failures.map((f) => (f.reason as Error).message).join('\n\n'));
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const infra: RunningInfra = {
    mongoUrl: external.mongo ?? `mongodb://${HOST}:${ports.mongo}/`,
    natsUrl: external.nats ?? `nats://${HOST}:${ports.nats}`,
    temporalAddress: external.temporal ?? `${HOST}:${ports.temporal}`,
    stop,
  };
  for (const m of started) log(`[infra] ${m.name}: ready`);
  return infra;
}
