import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { binaries } from '@complaints/infra';
import { startPlatform, type PlatformOptions, type RunningPlatform } from './platform';

/** The real servers the jest global setup started (or the external ones it was given). */
export function testServers(): {
  mongoUrl: string;
  natsUrl: string;
  temporalAddress: string;
  temporalTestServer: string;
  dataDir: string;
} {
  const read = (name: string): string => {
    const value = process.env[name];
    if (!value)
      throw new Error(`${name} is not set: run tests through jest with the devstack global setup (make test)`);
    return value;
  };
  return {
    mongoUrl: read('MONGO_URL'),
    natsUrl: read('NATS_URL'),
    temporalAddress: read('TEMPORAL_ADDRESS'),
    temporalTestServer: read('TEMPORAL_TEST_SERVER_PATH'),
    dataDir: read('COMPLAINTS_TEST_DATA_DIR'),
  };
}

/** A database name no other test uses. */
export function uniqueDatabase(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

/**
 * Removes a workflow and its history from the test servers' Temporal, as the namespace's
 * retention does some days after the workflow closed; returns once Temporal no longer knows it.
 */
export async function forgetWorkflow(workflowId: string): Promise<void> {
  const temporal = (...args: string[]) =>
    promisify(execFile)(
      binaries().temporal,
      ['workflow', ...args, '--workflow-id', workflowId, '--address', testServers().temporalAddress],
      { timeout: 30_000 },
    );
  // --yes: otherwise the CLI asks on stdin and waits for an answer that never comes.
  await temporal('delete', '--yes');
  await eventually(
    () =>
      temporal('describe').then(
        () => undefined,
        () => true,
      ),
    `Temporal to forget ${workflowId}`,
    // Temporal deletes in the background: seconds alone, more than a minute beside a busy test run.
    FORGET_TIMEOUT_MS,
  );
}

/** Takes a Temporal schedule's action now, as if its time had come (a scheduled report run), on the test servers' Temporal. */
export async function triggerSchedule(scheduleId: string): Promise<void> {
  await promisify(execFile)(
    binaries().temporal,
    ['schedule', 'trigger', '--schedule-id', scheduleId, '--address', testServers().temporalAddress],
    { timeout: 30_000 },
  );
}

/** How long forgetWorkflow may wait: a test that calls it needs a jest timeout above this. */
export const FORGET_TIMEOUT_MS = 150_000;

/** Polls `probe` until it returns a value (not undefined) or the time is up. For eventual consistency across services. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The whole platform for one end-to-end test file, on the test servers: free ports, its own
 * databases, NATS and task queue, logs under the test data folder named after `label`.
 */
export async function startTestPlatform(
  label: string,
  options: Pick<PlatformOptions, 'env' | 'gatewayEnv' | 'replicas' | 'only' | 'moreIssuers'> = {},
): Promise<RunningPlatform> {
  const servers = testServers();
  // A port found free can still be taken by another program before the service binds it; the
  // platform stops what it started, so trying again with new ports is safe.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPlatform({
        infra: servers,
        dataDir: path.join(servers.dataDir, `platform-${label}`),
        ports: 'free',
        dbPrefix: `${uniqueDatabase('e2e')}_`,
        log: () => undefined,
        ...options,
      });
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('EADDRINUSE')) throw error;
    }
  }
}

/** fetch with an API key as a bearer token and a JSON body: how tests talk to the gateway. */
export function call(
  url: string,
  apiKey: string | undefined,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

/** A second group's directory for tests of several groups: its staff are accounts of an issuer of `moreIssuers`. */
export const HARBOUR_GROUP_SEED = path.join(__dirname, '..', 'fixtures', 'harbour-group.json');

/**
 * Loads a directory seed (regions, properties, departments, staff) into the group of an admin key
 * through the admin API, the way a new group's administrator would; throws at the first refusal.
 */
export async function putDirectory(gatewayUrl: string, adminKey: string, seedFile: string): Promise<void> {
  const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8')) as Record<
    'regions' | 'properties' | 'departments' | 'staff',
    { id: string }[]
  >;
  for (const kind of ['regions', 'properties', 'departments', 'staff'] as const) {
    for (const { id, ...body } of seed[kind]) {
      const response = await call(`${gatewayUrl}/v1/admin/${kind}/${id}`, adminKey, { method: 'PUT', body });
      if (!response.ok) throw new Error(`PUT ${kind}/${id} answered ${response.status}: ${await response.text()}`);
    }
  }
}
