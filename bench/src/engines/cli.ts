#!/usr/bin/env node
/**
 * Raw engine rates on fresh servers, so the store comparison can be re-run:
 *
 *   node bench/dist/engines/cli.js --store sqlite|postgresql --documents 2000,50000 [--seconds 10]
 *     [--concurrency 8] [--sqlite-synchronous normal|full] [--postgresql-setting name=value ...] [--keep]
 *
 * Starts FerretDB (on the chosen store), NATS and Temporal with startInfra in a new directory under
 * `<repo>/.data/`, measures the store at each size (a fresh collection per size), Temporal workflow
 * starts and JetStream publishes, prints a Markdown table on stdout (progress on stderr), stops
 * everything and deletes the directory unless --keep.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, startInfra, STORE_ENGINES, type StoreEngine } from '@complaints/infra';
import { measureJetStreamPublishes, measureStore, measureTemporalStarts, type StoreRates } from './index';

const USAGE =
  'usage: cli.js --store sqlite|postgresql [--documents 2000,50000] [--seconds 10] [--concurrency 8] ' +
  '[--sqlite-synchronous normal|full] [--postgresql-setting name=value ...] [--keep]';

interface Args {
  store: StoreEngine;
  documents: number[];
  seconds: number;
  concurrency: number;
  sqliteSynchronous?: 'normal' | 'full';
  postgresqlSettings: Record<string, string>;
  keep: boolean;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`${flag} needs a positive integer`);
  return n;
}

function parse(argv: string[]): Args {
  const args: Args = {
    store: 'sqlite',
    documents: [2_000],
    seconds: 10,
    concurrency: 8,
    postgresqlSettings: {},
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--store': {
        const v = value();
        if (!STORE_ENGINES.includes(v as StoreEngine)) fail(`--store needs one of ${STORE_ENGINES.join(', ')}`);
        args.store = v as StoreEngine;
        break;
      }
      case '--documents':
        args.documents = (value() ?? '').split(',').map((v) => positive('--documents', v));
        break;
      case '--seconds':
        args.seconds = positive(flag, value());
        break;
      case '--concurrency':
        args.concurrency = positive(flag, value());
        break;
      case '--sqlite-synchronous': {
        const v = value();
        if (v !== 'normal' && v !== 'full') fail('--sqlite-synchronous needs normal or full');
        args.sqliteSynchronous = v;
        break;
      }
      case '--postgresql-setting': {
        const [name, ...rest] = (value() ?? '').split('=');
        if (!name || rest.length === 0) fail('--postgresql-setting needs name=value');
        args.postgresqlSettings[name] = rest.join('=');
        break;
      }
      case '--keep':
        args.keep = true;
        break;
      default:
        fail(`unknown argument ${flag}`);
    }
  }
  return args;
}

const log = (line: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function table(args: Args, stores: StoreRates[], temporal: number, jetStream: number): string {
  const label =
    args.store === 'sqlite'
      ? `FerretDB on SQLite, synchronous=${args.sqliteSynchronous ?? 'normal'}`
      : `FerretDB on PostgreSQL${
          Object.keys(args.postgresqlSettings).length
            ? ` (${Object.entries(args.postgresqlSettings)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')})`
            : ''
        }`;
  const rows: [string, (s: StoreRates) => number][] = [
    ['insert', (s) => s.insertPerSecond],
    ['find by `_id`', (s) => s.findByIdPerSecond],
    ['update by `_id` (`$set`)', (s) => s.updateByIdPerSecond],
    ['find by another indexed field', (s) => s.findByFieldPerSecond],
  ];
  const lines = [
    `| operation/s, concurrency ${args.concurrency}, ${args.seconds} s each | ${stores.map((s) => `${label}, ${s.documents} docs`).join(' | ')} |`,
    `| --- | ${stores.map(() => '---').join(' | ')} |`,
    ...rows.map(([name, get]) => `| ${name} | ${stores.map((s) => get(s).toLocaleString('en-US')).join(' | ')} |`),
    '',
    ...stores
      .filter((s) => s.errors)
      .map((s) => `Failed operations at ${s.documents} docs (not in the rates): ${JSON.stringify(s.errors)}`),
    `Temporal workflow starts/s (no worker): ${temporal.toLocaleString('en-US')}; JetStream publishes/s: ${jetStream.toLocaleString('en-US')}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  fs.mkdirSync(path.join(repoRoot(), '.data'), { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(repoRoot(), '.data', `engines-${args.store}-`));
  const infra = await startInfra({
    dataDir,
    servers: ['mongo', 'nats', 'temporal'],
    store: args.store,
    sqliteSynchronous: args.sqliteSynchronous,
    postgresqlSettings: args.postgresqlSettings,
    log,
  });
  try {
    const stores: StoreRates[] = [];
    for (const documents of args.documents) {
      log(`store (${args.store}) at ${documents} documents …`);
      const { seconds, concurrency } = args;
      stores.push(
        await measureStore({ mongoUrl: infra.mongoUrl, dbName: 'engines', documents, seconds, concurrency, log }),
      );
    }
    log('Temporal starts …');
    const temporal = await measureTemporalStarts({
      address: infra.temporalAddress,
      namespace: 'default',
      seconds: args.seconds,
      concurrency: args.concurrency,
    });
    log('JetStream publishes …');
    const jetStream = await measureJetStreamPublishes({
      natsUrl: infra.natsUrl,
      seconds: args.seconds,
      concurrency: args.concurrency,
    });
    process.stdout.write(`${table(args, stores, temporal, jetStream)}\n`);
  } finally {
    await infra.stop();
    if (!args.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    else log(`data kept in ${dataDir}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
