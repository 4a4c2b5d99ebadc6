/** What `make bench` does, from the environment (BENCH_*), checked before anything starts. */
export const PHASES = ['accept', 'sustained', 'burst', 'storm'] as const;
export type Phase = (typeof PHASES)[number];

export type StoreEngine = 'sqlite' | 'postgresql';

export interface BenchConfig {
  phases: Phase[];
  /** Which store FerretDB runs on in this run (COMPLAINTS_STORE of packages/infra). */
  store: StoreEngine | undefined;
  /** Complaints written into every service's store before the platform is measured. */
  preload: number;
  accept: { ratePerSecond: number; seconds: number };
  sustained: { ratePerSecond: number; seconds: number };
  burst: { complaints: number; ratePerSecond: number; waitSeconds: number };
  storm: { complaints: number; ratePerSecond: number; firstReplySeconds: number; waitSeconds: number };
  /** Measure the raw engines (store, Temporal, JetStream) in the same run. */
  engines: boolean;
}

export class BenchConfigError extends Error {}

function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
    return fallback;
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const problems: string[] = [];
  const n = (name: string, fallback: number, min: number, max: number) =>
    wholeNumber(env, name, fallback, min, max, problems);

  const rawPhases = env.BENCH_PHASES?.trim();
  let phases: Phase[] = [...PHASES];
  if (rawPhases) {
    const named = rawPhases.split(',').map((phase) => phase.trim());
    const unknown = named.filter((phase) => !(PHASES as readonly string[]).includes(phase));
    if (unknown.length > 0) problems.push(`BENCH_PHASES: unknown ${unknown.join(', ')} (known: ${PHASES.join(', ')})`);
    phases = PHASES.filter((phase) => named.includes(phase));
  }
  const rawStore = env.COMPLAINTS_STORE?.trim();
  let store: StoreEngine | undefined;
  if (rawStore === 'sqlite' || rawStore === 'postgresql') store = rawStore;
  else if (rawStore) problems.push(`COMPLAINTS_STORE must be sqlite or postgresql, not ${JSON.stringify(rawStore)}`);

  const config: BenchConfig = {
    phases,
    store,
    preload: n('BENCH_PRELOAD', 0, 0, 1_000_000),
    accept: { ratePerSecond: n('BENCH_ACCEPT_RATE', 100, 1, 5_000), seconds: n('BENCH_ACCEPT_SECONDS', 60, 1, 3_600) },
    sustained: {
      ratePerSecond: n('BENCH_SUSTAINED_RATE', 30, 1, 5_000),
      seconds: n('BENCH_SUSTAINED_SECONDS', 300, 1, 3_600),
    },
    burst: {
      complaints: n('BENCH_BURST', 10_000, 1, 1_000_000),
      ratePerSecond: n('BENCH_BURST_RATE', 200, 1, 5_000),
      waitSeconds: n('BENCH_BURST_WAIT_SECONDS', 600, 1, 7_200),
    },
    storm: {
      complaints: n('BENCH_STORM', 1_000, 1, 100_000),
      ratePerSecond: n('BENCH_STORM_RATE', 50, 1, 5_000),
      firstReplySeconds: n('BENCH_STORM_FIRST_REPLY_SECONDS', 60, 10, 3_600),
      waitSeconds: n('BENCH_STORM_WAIT_SECONDS', 600, 1, 7_200),
    },
    engines: env.BENCH_ENGINES?.trim() !== '0',
  };
  if (problems.length > 0) throw new BenchConfigError(problems.join('\n'));
  return config;
}
