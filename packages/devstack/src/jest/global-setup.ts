import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaries, repoRoot, startInfra, type RunningInfra } from '@complaints/infra';

declare global {
  var __complaintsInfra: { infra: RunningInfra; dataDir: string } | undefined;
}

/**
 * Starts the real servers once for the whole jest run; workers inherit their addresses
 * through the environment. MONGO_URL / NATS_URL / TEMPORAL_ADDRESS, when set, are used instead.
 */
async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(repoRoot(), '.data', 'test-'));
  const infra = await startInfra({ dataDir, log: () => undefined });
  process.env.MONGO_URL = infra.mongoUrl;
  process.env.NATS_URL = infra.natsUrl;
  process.env.TEMPORAL_ADDRESS = infra.temporalAddress;
  process.env.TEMPORAL_TEST_SERVER_PATH = binaries().temporalTestServer;
  process.env.COMPLAINTS_TEST_DATA_DIR = dataDir;
  globalThis.__complaintsInfra = { infra, dataDir };
}

fs.mkdirSync(path.join(repoRoot(), '.data'), { recursive: true });
export = globalSetup;
