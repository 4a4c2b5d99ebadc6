import { performance } from 'node:perf_hooks';
import type { PreloadService } from './complaint';
import { preloadBatches } from './generate';

const BATCH = 1_000;

/**
 * Fills each service's database with `count` complaints as that service would have stored them
 * (each service's own preload module), before the platform starts, so that it is measured holding
 * a group's year of data.
 */
export async function runPreload(options: {
  count: number;
  mongoUrl: string;
  dbPrefix: string;
  services: Record<string, PreloadService>;
  log: (line: string) => void;
}): Promise<{ complaints: number; seconds: number }> {
  const started = performance.now();
  let done = 0;
  for (const batch of preloadBatches(options.count, BATCH)) {
    await Promise.all(
      Object.entries(options.services).map(([service, preload]) =>
        preload({ mongoUrl: options.mongoUrl, dbName: `${options.dbPrefix}${service}` }, batch),
      ),
    );
    done += batch.length;
    if (done % 10_000 === 0 || done === options.count) {
      options.log(
        `preloaded ${done} of ${options.count} complaints (${Math.round((performance.now() - started) / 1000)} s)`,
      );
    }
  }
  return { complaints: done, seconds: Math.round((performance.now() - started) / 1000) };
}
