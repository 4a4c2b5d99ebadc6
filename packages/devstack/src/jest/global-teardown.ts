import * as fs from 'node:fs';

async function globalTeardown(): Promise<void> {
  const running = globalThis.__complaintsInfra;
  if (!running) return;
  await running.infra.stop();
  fs.rmSync(running.dataDir, { recursive: true, force: true });
}

export = globalTeardown;
