import * as fs from 'node:fs';
import * as path from 'node:path';
import { startPlatform, type RunningPlatform } from '@complaints/devstack';
import { repoRoot, startInfra, type RunningInfra } from '@complaints/infra';
import { BenchConfigError, readConfig, type BenchConfig, type Phase } from './config';
import { measureJetStreamPublishes, measureStore, measureTemporalStarts } from './engines';
import { runPhase, shortenFirstReply, type BenchTarget, type PhaseResult } from './phases';
import { PRELOADS } from './preload';
import { startBenchProviders } from './providers';
import { runPreload } from './preload/run-preload';
import { buildReport, formatTables, type EngineRates } from './report';

// Progress goes to stderr, so stdout carries only the result (JSON, then the tables).
const log = (line: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const DB_PREFIX = 'bench_';

async function measureEngines(infra: RunningInfra, documents: number): Promise<EngineRates> {
  log(`Raw engines: store at ${documents} documents, Temporal starts, JetStream publishes …`);
  const store = await measureStore({ mongoUrl: infra.mongoUrl, dbName: `${DB_PREFIX}engine`, documents, seconds: 10 });
  const temporalStartsPerSecond = await measureTemporalStarts({
    address: infra.temporalAddress,
    namespace: 'default',
    seconds: 10,
    concurrency: 8,
  });
  const jetStreamPublishesPerSecond = await measureJetStreamPublishes({
    natsUrl: infra.natsUrl,
    seconds: 10,
    concurrency: 8,
  });
  return {
    store: {
      documents,
      insertPerSecond: store.insertPerSecond,
      findByIdPerSecond: store.findByIdPerSecond,
      updateByIdPerSecond: store.updateByIdPerSecond,
      findByFieldPerSecond: store.findByFieldPerSecond,
    },
    temporalStartsPerSecond,
    jetStreamPublishesPerSecond,
  };
}

function planOf(config: BenchConfig, phase: Phase) {
  switch (phase) {
    case 'accept':
    case 'sustained': {
      // Measured as partners see it: a 503 counts against the phase, nothing is sent again.
      const { ratePerSecond, seconds } = config[phase];
      return { phase, ratePerSecond, requests: ratePerSecond * seconds, waitSeconds: 900, maxAttempts: 1 };
    }
    case 'burst':
      // Partners send again after Retry-After: "all accepted" means accepted in the end.
      return {
        phase,
        ratePerSecond: config.burst.ratePerSecond,
        requests: config.burst.complaints,
        waitSeconds: config.burst.waitSeconds,
        maxAttempts: 600,
      };
    case 'storm':
      return {
        phase,
        ratePerSecond: config.storm.ratePerSecond,
        requests: config.storm.complaints,
        waitSeconds: config.storm.waitSeconds,
        maxAttempts: 600,
        storm: { firstReplySeconds: config.storm.firstReplySeconds },
      };
  }
}

async function main(): Promise<number> {
  const config = readConfig(process.env);
  const benchDir = path.join(repoRoot(), '.data', 'bench');
  const runDir = path.join(benchDir, 'run');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });

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
    log(`Starting fresh servers under ${runDir} (store: ${config.store ?? 'default'}) …`);
    // Fresh servers of the bench's own, even when MONGO_URL / NATS_URL / TEMPORAL_ADDRESS are set.
    for (const name of ['MONGO_URL', 'NATS_URL', 'TEMPORAL_ADDRESS']) delete process.env[name];
    if (config.store) process.env.COMPLAINTS_STORE = config.store;
    const infra = await startInfra({ dataDir: runDir, servers: ['mongo', 'nats', 'temporal'], log });
    cleanups.push(() => infra.stop());

    const preload =
      config.preload > 0
        ? await runPreload({
            count: config.preload,
            mongoUrl: infra.mongoUrl,
            dbPrefix: DB_PREFIX,
            services: PRELOADS,
            log,
          })
        : { complaints: 0, seconds: 0 };
    const engines = config.engines ? await measureEngines(infra, Math.max(2_000, config.preload)) : null;
    if (interrupt.signal.aborted) return 130;

    log('Starting the platform …');
    let platform: RunningPlatform | undefined;
    // A port found free can be taken before the service binds it; the platform stops what it started.
    for (let attempt = 1; platform === undefined; attempt++) {
      try {
        platform = await startPlatform({
          infra,
          dataDir: path.join(runDir, 'logs'),
          ports: 'free',
          dbPrefix: DB_PREFIX,
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
    const target: BenchTarget = {
      gatewayUrl: running.gatewayUrl,
      apiKey: running.apiKey,
      temporalAddress: infra.temporalAddress,
      namespace: 'default',
      lifecycleTaskQueue: running.taskQueues.lifecycle,
      metrics: {
        gateway: `${running.gatewayUrl}/metrics`,
        ...Object.fromEntries(Object.entries(running.services).map(([name, s]) => [name, `${s.httpUrl}/metrics`])),
      },
      log,
      signal: interrupt.signal,
    };

    const providers = await startBenchProviders(running.gatewayUrl, running.apiKey);
    cleanups.push(() => providers.stop());

    const results: PhaseResult[] = [];
    let failure: string | undefined;
    for (const phase of config.phases) {
      if (interrupt.signal.aborted) break;
      try {
        if (phase === 'storm') await shortenFirstReply(target, config.storm.firstReplySeconds);
        results.push(await runPhase(target, planOf(config, phase)));
      } catch (error) {
        // What was measured so far is still reported, with what stopped the run.
        failure = `${phase}: ${String(error)}`;
        log(`Phase ${failure}`);
        break;
      }
    }
    if (interrupt.signal.aborted) return 130;

    const report = buildReport(
      config,
      config.store ?? process.env.COMPLAINTS_STORE ?? 'default',
      preload,
      engines,
      results,
    );
    const file = path.join(benchDir, `result-${report.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    console.log(`\n${formatTables(report)}\n`);
    log(`Written to ${file}`);
    if (failure) {
      console.log(`\nThe run stopped early: ${failure}`);
      return 1;
    }
    return 0;
  } finally {
    if (cleanups.length > 0) log('Stopping the platform and the servers …');
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`stop: ${String(error)}`));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BenchConfigError ? `Bad benchmark parameters:\n${error.message}` : error);
    process.exit(1);
  },
);
