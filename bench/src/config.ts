/** What `make bench` does, from the environment (BENCH_*), checked before anything starts. */
export interface BenchConfig {
  ratePerSecond: number;
  durationSeconds: number;
  connections: number;
  /** `embedded`: the bench starts its own servers and platform; `external`: an already running one. */
  target:
    | { kind: 'embedded' }
    | { kind: 'external'; gatewayUrl: string; apiKey: string; temporalAddress: string; temporalNamespace: string };
}

export class BenchConfigError extends Error {}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    problems.push(`${name} must be a whole number from 1 to ${max}, not ${JSON.stringify(raw)}`);
    return fallback;
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const problems: string[] = [];
  // autocannon splits the rate over the connections in whole requests per second, so whole numbers only.
  const ratePerSecond = wholeNumber(env, 'BENCH_RATE', 20, 10_000, problems);
  const durationSeconds = wholeNumber(env, 'BENCH_DURATION', 60, 86_400, problems);
  const connections = wholeNumber(env, 'BENCH_CONNECTIONS', 10, 1_000, problems);

  const gatewayUrl = env.BENCH_GATEWAY_URL?.trim() || undefined;
  const apiKey = env.BENCH_API_KEY?.trim() || undefined;
  const temporalAddress = env.TEMPORAL_ADDRESS?.trim() || undefined;
  let target: BenchConfig['target'] = { kind: 'embedded' };
  if (gatewayUrl !== undefined || apiKey !== undefined) {
    if (gatewayUrl === undefined || apiKey === undefined || temporalAddress === undefined) {
      problems.push(
        'a running platform needs BENCH_GATEWAY_URL, BENCH_API_KEY and TEMPORAL_ADDRESS together; missing: ' +
          Object.entries({ BENCH_GATEWAY_URL: gatewayUrl, BENCH_API_KEY: apiKey, TEMPORAL_ADDRESS: temporalAddress })
            .filter(([, value]) => value === undefined)
            .map(([name]) => name)
            .join(', '),
      );
    } else if (!/^https?:\/\/[^/]+\/?$/.test(gatewayUrl)) {
      problems.push(`BENCH_GATEWAY_URL must be http(s)://host:port, not ${JSON.stringify(gatewayUrl)}`);
    } else {
      target = {
        kind: 'external',
        gatewayUrl: gatewayUrl.replace(/\/$/, ''),
        apiKey,
        temporalAddress,
        temporalNamespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
      };
    }
  }
  if (problems.length > 0) throw new BenchConfigError(problems.join('\n'));
  return { ratePerSecond, durationSeconds, connections, target };
}
