import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '@complaints/infra';

let parsed: unknown;

/**
 * The demo group's master data (services/intake/seed/demo-group.json), which the bench's
 * platform loads: each preload names the parts it reads in `T`.
 */
export function demoGroupSeed<T>(): T {
  parsed ??= JSON.parse(
    fs.readFileSync(path.join(repoRoot(), 'services', 'intake', 'seed', 'demo-group.json'), 'utf8'),
  );
  return parsed as T;
}
