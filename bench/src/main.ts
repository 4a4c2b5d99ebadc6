import * as fs from 'node:fs';
import * as path from 'node:path';
import { startPlatform, type RunningPlatform } from '@complaints/devstack';
import { repoRoot, startInfra, type RunningInfra } from '@complaints/infra';
import { BenchConfigError, readConfig } from './config';
import { runLoad } from './load';
import { buildReport, formatTable } from './report';
import { waitForWorkflowStarts } from './workflows';

/** How long after the load ends a lifecycle workflow may still start and be counted. */
const WORKFLOW_WAIT_MS = 120_000;

interface Target {
  gatewayUrl: string;
  apiKey: string;
  temporalAddress: string;
  temporalNamespace: string;
}

// Progress goes to stderr, so stdout carries only the result (JSON, then the table).
const log = (line: string): void => console.error(line);

/**
 * Fresh servers and a whole platform of the bench's own under .data/bench/run: nothing left from
 * an earlier run (or from `make up`) changes what is measured.
 */
async function startEmbedded(runDir: string, cleanups: (() => Promise<void>)[]): Promise<Target> {
  fs.rmSync(runDir, { recursive: true, force: true });
  log(`Starting FerretDB, NATS and Temporal under ${runDir} …`);
  // All three even when MONGO_URL / NATS_URL / TEMPORAL_ADDRESS are set: those mean a running platform.
  const infra: RunningInfra = await startInfra({ dataDir: runDir, servers: ['mongo', 'nats', 'temporal'], log });
  cleanups.push(async () => {
    await infra.stop();
  });
  log('Starting the platform …');
  let platform: RunningPlatform | undefined;
  // A port found free can be taken before the service binds it; the platform stops what it started.
  for (let attempt = 1; platform === undefined; attempt++) {
    try {
      platform = await startPlatform({
        infra,
        dataDir: path.join(runDir, 'logs'),
        ports: 'free',
        dbPrefix: 'bench_',
        log,
        // The bench measures the platform, not the per-key limit (600 a minute by default).
        gatewayEnv: { RATE_LIMIT_PER_MINUTE: '1000000' },
      });
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
  const running = platform;
  cleanups.push(async () => {
    await running.stop();
  });
  return {
    gatewayUrl: running.gatewayUrl,
    apiKey: running.apiKey,
    temporalAddress: infra.temporalAddress,
    temporalNamespace: 'default',
  };
}

async function main(): Promise<number> {
  const config = readConfig(process.env);
  const benchDir = path.join(repoRoot(), '.data', 'bench');
  fs.mkdirSync(benchDir, { recursive: true });

  const interrupt = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl-C does not wait for the clean stop; the infra's exit hook still ends the servers.
    if (interrupt.signal.aborted) process.exit(130);
    log('Interrupted: stopping …');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const cleanups: (() => Promise<void>)[] = [];
  try {
    const target =
      config.target.kind === 'external' ? config.target : await startEmbedded(path.join(benchDir, 'run'), cleanups);
    if (interrupt.signal.aborted) return 130;

    log(
      `Registering complaints at ${target.gatewayUrl}: ${config.ratePerSecond}/s for ${config.durationSeconds} s, ` +
        // autocannon opens no more connections than requests per second.
        `${Math.min(config.connections, config.ratePerSecond)} connections …`,
    );
    const load = await runLoad({
      gatewayUrl: target.gatewayUrl,
      apiKey: target.apiKey,
      ratePerSecond: config.ratePerSecond,
      durationSeconds: config.durationSeconds,
      connections: config.connections,
      signal: interrupt.signal,
    });
    if (interrupt.signal.aborted) return 130;

    log(`${load.accepted.length} accepted; looking up their lifecycle workflows …`);
    const starts = await waitForWorkflowStarts(load.accepted, {
      temporalAddress: target.temporalAddress,
      namespace: target.temporalNamespace,
      timeoutMs: WORKFLOW_WAIT_MS,
      concurrency: 10,
      signal: interrupt.signal,
      log,
    });
    if (interrupt.signal.aborted) return 130;

    const report = buildReport(
      config,
      config.target.kind === 'external' ? target.gatewayUrl : 'embedded',
      load,
      starts,
    );
    const file = path.join(benchDir, `result-${report.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    console.log(`\n${formatTable(report)}\n`);
    log(`Written to ${file}`);
    if (starts.notStarted.length > 0) {
      log(`Lifecycle workflows not started, e.g. for complaints ${starts.notStarted.slice(0, 5).join(', ')}`);
    }
    return 0;
  } finally {
    if (cleanups.length > 0) log('Stopping the platform and the servers …');
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BenchConfigError ? `Bad benchmark parameters:\n${error.message}` : error);
    process.exit(1);
  },
);
