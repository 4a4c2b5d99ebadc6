/**
 * The store engines as startInfra runs them, each on servers of its own (not the run's shared
 * ones): FerretDB on SQLite and on PostgreSQL answer `_id` and indexed-field lookups from an index,
 * PostgreSQL keeps acknowledged writes across kill -9 and leaves no process behind.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MongoClient, type Document } from 'mongodb';
import { startInfra, storeFromEnv, type RunningInfra } from '../src';

jest.setTimeout(180_000);

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'infra-store-'));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The backend's query plan of `find(filter)`, as FerretDB's explain returns it, flattened to text. */
async function plan(client: MongoClient, collection: string, filter: Document): Promise<string> {
  const explained = await client.db('store_spec').collection(collection).find(filter).explain();
  return JSON.stringify(explained.queryPlanner);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('storeFromEnv', () => {
  it('defaults to postgresql where its binaries run, and rejects unknown names', () => {
    expect(storeFromEnv({})).toBe(process.platform === 'linux' && process.arch === 'x64' ? 'postgresql' : 'sqlite');
    expect(storeFromEnv({ COMPLAINTS_STORE: 'sqlite' })).toBe('sqlite');
    expect(storeFromEnv({ COMPLAINTS_STORE: 'postgresql' })).toBe('postgresql');
    expect(() => storeFromEnv({ COMPLAINTS_STORE: 'mysql' })).toThrow(/COMPLAINTS_STORE=mysql/);
  });
});

describe('FerretDB on SQLite', () => {
  let infra: RunningInfra;
  let client: MongoClient;
  const dataDir = tempDir();

  beforeAll(async () => {
    infra = await startInfra({ dataDir, servers: ['mongo'], store: 'sqlite' });
    client = await MongoClient.connect(infra.mongoUrl);
  });

  afterAll(async () => {
    await client?.close();
    await infra?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs WAL with synchronous=NORMAL', () => {
    expect(fs.readFileSync(path.join(dataDir, 'ferretdb.log'), 'utf8')).toContain('synchronous%28normal%29');
  });

  it('answers an _id lookup from an index once the wrapper has indexed the new collection', async () => {
    const items = client.db('store_spec').collection<{ _id: string; n: number }>('items');
    await items.insertMany(Array.from({ length: 200 }, (_, n) => ({ _id: `item-${n}`, n })));
    // FerretDB's own _id_ index never serves its _id filter: the plan says SCAN until the
    // wrapper's index exists (within a second). A find first, so the pooled connection that
    // explains has seen the new schema.
    let text = '';
    for (let tries = 0; tries < 50 && !/USING INDEX/.test(text); tries++) {
      await sleep(200);
      expect(await items.findOne({ _id: 'item-7' })).toEqual({ _id: 'item-7', n: 7 });
      text = await plan(client, 'items', { _id: 'item-7' });
    }
    expect(text).toMatch(/SEARCH items_\w+ USING INDEX items_\w+__id_lookup/);
  });

  it('indexes a collection again after it was dropped and created anew', async () => {
    const items = client.db('store_spec').collection<{ _id: string; n: number }>('items');
    await items.drop();
    await items.insertOne({ _id: 'again', n: 1 });
    let text = '';
    for (let tries = 0; tries < 50 && !/USING INDEX/.test(text); tries++) {
      await sleep(200);
      expect(await items.findOne({ _id: 'again' })).toEqual({ _id: 'again', n: 1 });
      text = await plan(client, 'items', { _id: 'again' });
    }
    expect(text).toMatch(/USING INDEX items_\w+__id_lookup/);
  });
});

describe('FerretDB on PostgreSQL', () => {
  let infra: RunningInfra | undefined;
  let client: MongoClient | undefined;
  const dataDir = tempDir();

  const start = async (): Promise<MongoClient> => {
    // enable_seqscan=off: any index able to serve a filter is used, whatever the table's size.
    // (With synchronous_commit=off instead of fsync=off, the kill -9 test below loses writes:
    // 45 of 50 survived when tried.)
    const postgresqlSettings = { enable_seqscan: 'off' };
    infra = await startInfra({ dataDir, servers: ['mongo'], store: 'postgresql', postgresqlSettings });
    client = await MongoClient.connect(infra.mongoUrl);
    return client;
  };
  const postmasterPid = (): number =>
    Number(fs.readFileSync(path.join(dataDir, 'postgresql', 'postmaster.pid'), 'utf8').split('\n')[0]);

  afterAll(async () => {
    await client?.close();
    await infra?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves _id and indexed-field equality from GIN twins of FerretDB indexes, dropped with them', async () => {
    const db = (await start()).db('store_spec');
    const tickets = db.collection<{ _id: string; groupId: string; n: number }>('tickets');
    await tickets.insertMany(Array.from({ length: 300 }, (_, n) => ({ _id: `t-${n}`, groupId: `g-${n % 30}`, n })));
    await tickets.createIndex({ groupId: 1 });
    const viaGin = /"Index Name":"gin_[0-9a-f]{32}"/;

    expect(await plan(client!, 'tickets', { _id: 't-5' })).toMatch(viaGin);
    expect(await plan(client!, 'tickets', { groupId: 'g-5' })).toMatch(viaGin);
    expect(await tickets.countDocuments({ groupId: 'g-5' })).toBe(10);

    await tickets.dropIndex('groupId_1');
    expect(await plan(client!, 'tickets', { groupId: 'g-5' })).toMatch(/Seq Scan/);
    expect(await plan(client!, 'tickets', { _id: 't-5' })).toMatch(viaGin);
  });

  it('keeps every acknowledged write when the whole server is killed with SIGKILL', async () => {
    const writes = client!.db('store_spec').collection<{ _id: string; n: number }>('writes');
    for (let n = 0; n < 50; n++) await writes.insertOne({ _id: `w-${n}`, n });
    await writes.updateOne({ _id: 'w-49' }, { $set: { n: -1 } });

    // The postmaster and all its children at once, right after the last acknowledgement: what
    // only sat in PostgreSQL's shared memory (synchronous_commit=off) would be lost.
    const pid = postmasterPid();
    execFileSync('pkill', ['-KILL', '-P', String(pid)]);
    process.kill(pid, 'SIGKILL');
    await client!.close();
    await infra!.stop();
    for (let i = 0; i < 50 && fs.existsSync(`/proc/${pid}`); i++) await sleep(100);

    const again = (await start()).db('store_spec').collection<{ _id: string; n: number }>('writes');
    expect(await again.countDocuments({})).toBe(50);
    expect(await again.findOne({ _id: 'w-49' })).toEqual({ _id: 'w-49', n: -1 });
  });

  it('stops PostgreSQL and its children with stop()', async () => {
    const pid = postmasterPid();
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
    expect(children.length).toBeGreaterThan(0);
    await client!.close();
    client = undefined;
    await infra!.stop();
    infra = undefined;
    expect(alive(pid)).toBe(false);
    for (let i = 0; i < 50 && children.some(alive); i++) await sleep(100);
    expect(children.filter(alive)).toEqual([]);
  });
});
