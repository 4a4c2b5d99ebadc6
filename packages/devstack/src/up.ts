import * as path from 'node:path';
import { repoRoot, startInfra } from '@complaints/infra';
import { localNatsConfig } from './nats-users';
import { startPlatform } from './platform';

/**
 * The admin API key of `make up`, the same on every run so scripts and bookmarks keep working.
 * Local only: it is published in this repository, so never configure it anywhere reachable.
 * BOOTSTRAP_API_KEY replaces it; with NODE_ENV=production the gateway refuses any key whose id is
 * `local` (gateway/src/config.ts).
 */
const LOCAL_API_KEY = 'ck_local_for-local-development-only-never-in-prod-01';
/** Published like the key above; the gateway refuses any `op_local-…` credential in production. */
const LOCAL_OPERATOR_KEY = 'op_local-operator-for-local-development-only';

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
    natsConfig: localNatsConfig(),
  });
  let platform;
  try {
    platform = await startPlatform({
      infra,
      dataDir: path.join(dataDir, 'logs'),
      ports: 'default',
      apiKey: process.env.BOOTSTRAP_API_KEY ?? LOCAL_API_KEY,
      operatorKey: process.env.PLATFORM_OPERATOR_KEYS ?? LOCAL_OPERATOR_KEY,
      // An external NATS (NATS_URL) does not know the local users.
      natsUsers: !process.env.NATS_URL,
    });
  } catch (error) {
    await infra.stop();
    throw error;
  }
  console.log(`\nThe platform is up: ${platform.gatewayUrl}  (Temporal UI http://127.0.0.1:8233)`);
  console.log(`API documentation: ${platform.gatewayUrl}/docs`);
  console.log(`Admin API key of demo-group (local only): ${platform.apiKey}`);
  console.log(`  curl -H 'Authorization: Bearer ${platform.apiKey}' ${platform.gatewayUrl}/v1/admin/api-keys`);
  console.log(`Platform operator credential (local only): ${platform.operatorKey}`);
  console.log(
    `  PLATFORM_URL=${platform.gatewayUrl} PLATFORM_OPERATOR_KEY=${platform.operatorKey} node gateway/dist/cli/platform.js groups list`,
  );
  console.log(`Staff sign in at the local OpenID Connect issuer ${platform.oidc.issuerUrl}`);
  console.log(
    `  accounts: the seeded staff ids (s-li-na, s-gao-feng, s-guo-wei …), password (local only): ${platform.oidc.password}`,
  );
  console.log(
    `  client ${platform.oidc.clientId} (authorization code + PKCE), access tokens for ${platform.oidc.audience}`,
  );
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
