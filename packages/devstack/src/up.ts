import * as path from 'node:path';
import { repoRoot, startInfra } from '@complaints/infra';
import { startPlatform } from './platform';

/**
 * `make up`: the embedded servers on their usual loopback ports (data kept under
 * .data/local between runs) and the whole platform; Ctrl-C stops everything.
 * MONGO_URL / NATS_URL / TEMPORAL_ADDRESS point it at external servers instead.
 */
async function main(): Promise<void> {
  const dataDir = path.join(repoRoot(), '.data', 'local');
  const infra = await startInfra({
    dataDir,
    ports: { mongo: 27018, nats: 4222, temporal: 7233, temporalUi: 8233 },
  });
  let platform;
  try {
    platform = await startPlatform({ infra, dataDir: path.join(dataDir, 'logs'), ports: 'default' });
  } catch (error) {
    await infra.stop();
    throw error;
  }
  console.log(`\nThe platform is up: ${platform.gatewayUrl}  (Temporal UI http://127.0.0.1:8233)`);
  console.log(`Service logs: ${path.join(dataDir, 'logs')}. Ctrl-C stops everything.\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await platform.stop();
    await infra.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
