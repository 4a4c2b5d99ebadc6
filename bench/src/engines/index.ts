/**
 * Raw engine rates: what the store, Temporal and JetStream do on this machine with nothing of the
 * platform in between, so the platform's figures can be read as a share of them.
 *
 * Each measurement is closed-loop on purpose (here we want the engine's ceiling, not latency under
 * a fixed arrival rate): `concurrency` workers issue one operation after another for `seconds`.
 */
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client, Connection } from '@temporalio/client';
import { MongoClient, type Collection } from 'mongodb';

export interface LoopResult {
  /** Successful operations per second. */
  rate: number;
  /** Failed operations (not in the rate), e.g. SQLITE_BUSY when scans hold the write lock too long. */
  errors: number;
  firstError?: string;
}

/** Operations per second of `concurrency` workers running `op` back to back for `seconds`. */
export async function closedLoop(
  seconds: number,
  concurrency: number,
  op: (worker: number, n: number) => Promise<void>,
): Promise<LoopResult> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let n = 0; performance.now() < deadline; n++) {
        try {
          await op(worker, n);
          done++;
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  return { rate: round(done / ((performance.now() - started) / 1000)), errors, firstError };
}

function round(rate: number): number {
  return rate >= 100 ? Math.round(rate) : Math.round(rate * 10) / 10;
}

// ---- store ----------------------------------------------------------------------------------------

export interface StoreRates {
  documents: number;
  insertPerSecond: number;
  findByIdPerSecond: number;
  updateByIdPerSecond: number;
  findByFieldPerSecond: number;
  /** Failed operations per measurement, when any (left out of the rates). */
  errors?: Record<string, number>;
}

export interface MeasureStoreOptions {
  mongoUrl: string;
  dbName: string;
  /** Documents in the collection before measuring (the inserts measured come on top). */
  documents: number;
  concurrency?: number;
  /** Per operation. */
  seconds: number;
  log?: (line: string) => void;
}

/** A complaint-sized document (~1.5 KB of BSON): string `_id`, groupId, an indexed `number`. */
export interface EngineDocument {
  _id: string;
  groupId: string;
  number: string;
  propertyId: string;
  status: string;
  severity: string;
  category: string;
  handlerId: string;
  receivedAt: Date;
  updatedAt: Date;
  description: string;
  location: string;
  demand: string;
  attempts: number;
}

const GROUPS = 20;
const WORDS =
  'the lift on level two stopped between floors and nobody answered the emergency phone for twenty minutes ' +
  'parking barrier charged twice water leaking from the ceiling near the food court cleaner was rude';

function text(seed: number, length: number): string {
  let out = '';
  for (let i = seed % 97; out.length < length; i += 7) out += `${WORDS.split(' ')[i % 33]} `;
  return out.slice(0, length);
}

export function engineDocument(i: number, runId: string): EngineDocument {
  const groupId = `group-${i % GROUPS}`;
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return {
    _id: `${runId}-${i.toString(36)}-${(i * 2654435761) % 1e9}`,
    groupId,
    number: `${groupId}-${String(i).padStart(7, '0')}`,
    propertyId: `property-${i % 300}`,
    status: 'assigned',
    severity: ['general', 'important', 'major'][i % 3],
    category: ['cleanliness', 'parking', 'safety', 'service', 'facilities'][i % 5],
    handlerId: `staff-${i % 500}`,
    receivedAt: at,
    updatedAt: at,
    description: text(i, 900),
    location: text(i + 11, 200),
    demand: text(i + 23, 250),
    attempts: 0,
  };
}

/**
 * Fills a fresh collection of its own with `documents` complaint-sized documents, indexes `groupId`
 * and `number`, then measures, one after the other: insert, find by `_id`, update by `_id`
 * (`$set` of one field) and find by `number` (another indexed field). Drops the collection after.
 */
export async function measureStore(options: MeasureStoreOptions): Promise<StoreRates> {
  const concurrency = options.concurrency ?? 8;
  const log = options.log ?? ((): void => undefined);
  const runId = randomUUID().slice(0, 8);
  const client = await MongoClient.connect(options.mongoUrl, { maxPoolSize: concurrency + 2 });
  const collection: Collection<EngineDocument> = client.db(options.dbName).collection(`engine_${runId}`);
  try {
    await collection.createIndex({ groupId: 1 });
    await collection.createIndex({ number: 1 });
    const started = performance.now();
    const batch = 1000;
    for (let from = 0; from < options.documents; from += batch) {
      const docs = [];
      for (let i = from; i < Math.min(from + batch, options.documents); i++) docs.push(engineDocument(i, runId));
      await collection.insertMany(docs, { ordered: false });
    }
    log(`store: ${options.documents} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Each worker draws its own targets; a cheap LCG spreads them over the whole collection.
    const pick = (worker: number, n: number): number => ((worker + 1) * 7919 + n * 104_729) % options.documents;

    const errors: Record<string, number> = {};
    const measure = async (name: string, op: (worker: number, n: number) => Promise<void>): Promise<number> => {
      const result = await closedLoop(options.seconds, concurrency, op);
      if (result.errors > 0) errors[name] = result.errors;
      log(`store: ${name} ${result.rate}/s${result.errors ? `, ${result.errors} errors (${result.firstError})` : ''}`);
      return result.rate;
    };

    let next = options.documents;
    const insertPerSecond = await measure('insert', async () => {
      await collection.insertOne(engineDocument(next++, runId));
    });
    const findByIdPerSecond = await measure('find by _id', async (worker, n) => {
      const id = engineDocument(pick(worker, n), runId)._id;
      if (!(await collection.findOne({ _id: id }))) throw new Error(`document ${id} not found`);
    });
    const updateByIdPerSecond = await measure('update by _id', async (worker, n) => {
      const id = engineDocument(pick(worker, n), runId)._id;
      const result = await collection.updateOne({ _id: id }, { $set: { updatedAt: new Date() } });
      if (result.matchedCount !== 1) throw new Error(`document ${id} not updated`);
    });
    const findByFieldPerSecond = await measure('find by number', async (worker, n) => {
      const number = engineDocument(pick(worker, n), runId).number;
      if (!(await collection.findOne({ number }))) throw new Error(`document number ${number} not found`);
    });
    return {
      documents: options.documents,
      insertPerSecond,
      findByIdPerSecond,
      updateByIdPerSecond,
      findByFieldPerSecond,
      ...(Object.keys(errors).length > 0 ? { errors } : {}),
    };
  } finally {
    await collection.drop().catch(() => undefined);
    await client.close();
  }
}

// ---- Temporal -------------------------------------------------------------------------------------

export interface MeasureTemporalStartsOptions {
  address: string;
  namespace: string;
  seconds: number;
  concurrency: number;
}

/**
 * Workflow starts per second with no worker: a workflow type nobody implements on a task queue
 * nobody polls. Each run times out on its own after a minute (a timer task on the server, cheaper
 * than a terminate call per run), so nothing is left running.
 */
export async function measureTemporalStarts(options: MeasureTemporalStartsOptions): Promise<number> {
  const connection = await Connection.connect({ address: options.address });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    const runId = randomUUID().slice(0, 8);
    const taskQueue = `bench-engine-${runId}`;
    const result = await closedLoop(options.seconds, options.concurrency, async (worker, n) => {
      await client.workflow.start('benchEngineNoop', {
        taskQueue,
        workflowId: `bench-engine-${runId}-${worker}-${n}`,
        args: [],
        workflowExecutionTimeout: '1 minute',
      });
    });
    if (result.errors > 0) throw new Error(`${result.errors} workflow starts failed: ${result.firstError}`);
    return result.rate;
  } finally {
    await connection.close();
  }
}

// ---- JetStream ------------------------------------------------------------------------------------

export interface MeasureJetStreamOptions {
  natsUrl: string;
  seconds: number;
  concurrency: number;
}

/**
 * Acknowledged publishes per second (file storage, like the platform's streams) of an event-sized
 * payload to a throwaway stream, deleted afterwards.
 */
export async function measureJetStreamPublishes(options: MeasureJetStreamOptions): Promise<number> {
  const nc = await connect({ servers: options.natsUrl });
  const name = `BENCH_ENGINE_${randomUUID().slice(0, 8).toUpperCase()}`;
  const subject = `bench.engine.${name.toLowerCase()}`;
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name, subjects: [`${subject}.>`] });
    try {
      const js = jetstream(nc);
      const payload = new TextEncoder().encode(JSON.stringify({ text: text(1, 700), at: new Date().toISOString() }));
      const result = await closedLoop(options.seconds, options.concurrency, async (worker, n) => {
        await js.publish(`${subject}.${worker}`, payload, { msgID: `${worker}-${n}` });
      });
      if (result.errors > 0) throw new Error(`${result.errors} publishes failed: ${result.firstError}`);
      return result.rate;
    } finally {
      await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
