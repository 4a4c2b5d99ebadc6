#!/usr/bin/env node
/**
 * node packages/infra/dist/cli.js up --data .data/local [--store sqlite|postgresql] [--mongo-port 27018 --nats-port 4222 --temporal-port 7233 --temporal-ui-port 8233 --postgresql-port 5433]
 * node packages/infra/dist/cli.js binaries
 *
 * `up` prints MONGO_URL=, NATS_URL= and TEMPORAL_ADDRESS= lines on stdout once everything is
 * ready, then runs until SIGINT/SIGTERM and stops the servers cleanly. Progress goes to stderr.
 */
import { binaries, InfraPorts, startInfra, STORE_ENGINES, StoreEngine } from './index';

const USAGE = `usage:
  cli.js up --data DIR [--store sqlite|postgresql] [--mongo-port N] [--nats-port N] [--temporal-port N]
            [--temporal-ui-port N] [--postgresql-port N] [--timeout-ms N] [--quiet]
  (--store defaults to COMPLAINTS_STORE, else sqlite)
  cli.js binaries`;

const PORT_FLAGS: Record<string, keyof InfraPorts> = {
  '--mongo-port': 'mongo',
  '--nats-port': 'nats',
  '--temporal-port': 'temporal',
  '--temporal-ui-port': 'temporalUi',
  '--postgresql-port': 'postgresql',
};

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0 || n > 65535) fail(`${flag} needs a port number`);
  return n;
}

async function up(argv: string[]): Promise<void> {
  let dataDir: string | undefined;
  let timeoutMs: number | undefined;
  let quiet = false;
  let store: StoreEngine | undefined;
  const ports: Partial<InfraPorts> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--data') dataDir = value();
    else if (flag in PORT_FLAGS) ports[PORT_FLAGS[flag]] = parseInteger(flag, value());
    else if (flag === '--timeout-ms') timeoutMs = Number(value());
    else if (flag === '--store') {
      const v = value();
      if (!STORE_ENGINES.includes(v as StoreEngine)) fail(`--store needs one of ${STORE_ENGINES.join(', ')}`);
      store = v as StoreEngine;
    } else if (flag === '--quiet' || flag === '-q') quiet = true;
    else fail(`unknown argument ${arg}`);
  }
  if (!dataDir) fail('--data DIR is required');

  const log = quiet ? undefined : (line: string): void => void process.stderr.write(`${line}\n`);

  // Handle signals from the start, so a Ctrl-C during startup also stops what has started.
  let stopRequested: NodeJS.Signals | undefined;
  let stopNow: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) return;
    stopRequested = signal;
    stopNow?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let infra;
  try {
    infra = await startInfra({ dataDir, ports, log, timeoutMs, store });
  } catch (err) {
    process.stderr.write(`[infra] failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }

  process.stdout.write(
    `MONGO_URL=${infra.mongoUrl}\nNATS_URL=${infra.natsUrl}\nTEMPORAL_ADDRESS=${infra.temporalAddress}\n`,
  );
  if (!stopRequested) {
    log?.('[infra] ready; Ctrl-C (SIGINT) or SIGTERM stops everything');
    await new Promise<void>((resolve) => {
      stopNow = resolve;
    });
  }
  log?.(`[infra] ${stopRequested ?? 'signal'} received, stopping`);
  await infra.stop();
  process.exit(0);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'up':
      return up(rest);
    case 'binaries':
      for (const [name, file] of Object.entries(binaries())) process.stdout.write(`${name}=${file}\n`);
      return;
    case '-h':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      fail(command ? `unknown command ${command}` : 'missing command');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
