import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { testServers, uniqueDatabase, eventually } from '@complaints/devstack';
import { v1 } from '@complaints/contracts';
import { createEvent, EventBus } from '@complaints/messaging';
import type { ComplaintRecord } from '../src/complaints/complaint.schema';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { ChangeComplaint } from '../src/complaints/use-cases/change-complaint';
import { ComplaintsGrpcController } from '../src/complaints/complaints.grpc.controller';
import { MaintainPersonalData } from '../src/personal-data/use-cases/maintain-personal-data';
import { ErasePersonalData } from '../src/personal-data/use-cases/erase-personal-data';
import { RetentionSchedule } from '../src/complaints/retention-schedule';
import { EMPTY_HEAD } from '../src/timeline/timeline.schema';
import { domainError, PARTNER, registration, repositoriesOn, startIntake, verifyEntries } from './fixtures';

interface Command {
  command: string;
  collection: string;
  filters: Record<string, unknown>[];
  /** The `_id`s it filters on or inserts. */
  ids: string[];
}

/** Every command intake sends to the store, with its filters: what the bench counts per complaint. */
function recordCommands(connection: Connection) {
  const seen: Command[] = [];
  connection.getClient().on('commandStarted', (event) => {
    const command = event.command as Record<string, unknown>;
    const collection = command[event.commandName];
    if (typeof collection !== 'string') return;
    const filters = [
      command.filter,
      command.query,
      ...((command.updates as { q: unknown }[] | undefined) ?? []).map((u) => u.q),
      ...((command.deletes as { q: unknown }[] | undefined) ?? []).map((d) => d.q),
    ].filter(Boolean) as Record<string, unknown>[];
    const inserted = ((command.documents as { _id: unknown }[] | undefined) ?? []).map((d) => d._id);
    const ids = [...filters.map((filter) => filter._id), ...inserted].map(String);
    seen.push({ command: event.commandName, collection, filters, ids });
  });
  return seen;
}

const byIdAlone = (commands: Command[]) =>
  commands.filter((c) => c.filters.some((filter) => Object.keys(filter).join() !== '_id'));

// Intake's real wiring on FerretDB and NATS: what registration and the events consumer send to the store.
describe('intake: every hot-path read and write by _id', () => {
  const servers = testServers();
  const database = uniqueDatabase('intake_keyed');
  let app: INestApplicationContext;
  let commands: Command[];
  /** A connection of the test's own, so that its reads are not counted as intake's. */
  let raw: mongoose.Connection;

  beforeAll(async () => {
    app = await startIntake({
      MONGO_URL: servers.mongoUrl,
      MONGO_DB: database,
      NATS_URL: servers.natsUrl,
      NATS_CONSUMER_PREFIX: `t${randomUUID().slice(0, 8)}_`,
      OUTBOX_RELAY_INTERVAL_MS: '600000',
      PERSONAL_DATA_RETENTION_INTERVAL_MS: '0',
      // Short, so that the pass after it walks two days of hours rather than two years.
      PERSONAL_DATA_RETENTION_DAYS: '1',
    });
    commands = recordCommands(app.get<Connection>(getConnectionToken()));
    raw = await mongoose.createConnection(servers.mongoUrl, { dbName: database }).asPromise();
  });
  afterAll(async () => {
    await raw.close();
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  const during = async <T>(work: () => Promise<T>, settleMs = 0): Promise<{ result: T; sent: Command[] }> => {
    const from = commands.length;
    const result = await work();
    // Deletes of published pending events go out together a moment later (PendingOutbox).
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    return { result, sent: commands.slice(from) };
  };

  it('registers in 6 round trips, each by _id, and handles a later event in 2', async () => {
    const register = app.get(RegisterComplaint);
    // The first of the day reads the counter and the directory; later ones know them.
    await register.execute(registration({ idempotencyKey: 'warm-up', requestHash: 'w' }));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const { result, sent } = await during(
      () => register.execute(registration({ idempotencyKey: `k-${randomUUID()}`, requestHash: 'h' })),
      250,
    );
    expect(byIdAlone(sent)).toEqual([]);
    // Intake's own consumer may read the complaint once when the registered event comes by, and
    // events of other tests' complaints come by on the shared stream (one read each, not ours).
    const own = sent.filter((c) => !(c.command === 'find' && c.collection === 'complaints'));
    // The counter's hint moves with every tenth number only.
    const sequence = Number(result.complaint.number.split('-').at(-1));
    expect(own.map((c) => `${c.command} ${c.collection}`).sort()).toEqual(
      [
        'insert complaint_idempotency',
        'insert complaint_number_claims',
        ...(sequence % 10 === 0 ? ['update complaint_number_counters'] : []),
        'update pending_outbox',
        'insert complaints',
        'insert timeline_entries',
        'delete pending_outbox',
      ].sort(),
    );
    // Registration itself reads no complaint: a read of this one is its consumer's, at most one.
    const reads = sent.filter((c) => c.command === 'find' && c.ids.includes(result.complaint._id));
    expect(reads.length).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const id = result.complaint._id;
    const routed = createEvent(
      'routed',
      { groupId: 'demo-group', complaintId: id, idempotencyKey: `routed:${id}` },
      v1.ComplaintRouted.fromPartial({ category: 'facilities', severity: 'general', department: 'engineering' }),
    );
    const { sent: forEvent } = await during(async () => {
      await app.get(EventBus).publish(routed);
      return eventually(async () => {
        const stored = await raw.collection<{ _id: string; category: string }>('complaints').findOne({ _id: id });
        return stored?.category === 'facilities' ? stored : undefined;
      }, 'the routed event applied');
    });
    // Events of other tests' complaints come by on the shared stream too (one read each, found not ours).
    const aboutIt = forEvent.filter((c) => c.ids.some((target) => target === id || target.startsWith(`${id}:`)));
    // The complaint is remembered from its registration: not read, and written once.
    expect(aboutIt.map((c) => `${c.command} ${c.collection}`)).toEqual([
      'insert timeline_entries',
      'findAndModify complaints',
    ]);
    expect(byIdAlone(forEvent)).toEqual([]);
    const stored = await raw.collection<ComplaintRecord>('complaints').findOne({ _id: id });
    expect(stored).toMatchObject({ status: 'assigned', timeline: { seq: 2 } });
  });

  it('deletes the pending events of registrations published together in one round trip', async () => {
    const register = app.get(RegisterComplaint);
    const { result, sent } = await during(
      () => Promise.all(Array.from({ length: 5 }, () => register.execute(registration()))),
      250,
    );
    const deletes = sent.filter((c) => c.command === 'delete' && c.collection === 'pending_outbox');
    expect(deletes.length).toBeLessThan(result.length);
    const left = await raw
      .collection('pending_outbox')
      .countDocuments({ complaintId: { $in: result.map((one) => one.complaint._id) } });
    expect(left).toBe(0);
  });

  it('replays through the keyed document: same key same complaint, another body a conflict, concurrent retries one complaint', async () => {
    const register = app.get(RegisterComplaint);
    const key = `k-${randomUUID()}`;
    const first = await register.execute(registration({ idempotencyKey: key, requestHash: 'h1' }));
    const stored = await raw.collection('complaint_idempotency').findOne({ _id: `demo-group:${key}` as never });
    expect(stored).toMatchObject({ complaintId: first.complaint._id, requestHash: 'h1', groupId: 'demo-group' });

    const again = await register.execute(registration({ idempotencyKey: key, requestHash: 'h1' }));
    expect(again).toMatchObject({
      replayed: true,
      complaint: { _id: first.complaint._id, number: first.complaint.number },
    });
    expect((await domainError(register.execute(registration({ idempotencyKey: key, requestHash: 'h2' })))).code).toBe(
      'conflict',
    );
    // Another group's key of the same name is another key.
    const otherGroupKey = await raw
      .collection('complaint_idempotency')
      .countDocuments({ _id: `other-group:${key}` as never });
    expect(otherGroupKey).toBe(0);

    const racing = `k-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => register.execute(registration({ idempotencyKey: racing, requestHash: 'h3' }))),
    );
    expect(new Set(results.map((r) => r.complaint._id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await raw.collection('complaints').countDocuments({ groupId: 'demo-group', idempotencyKey: racing })).toBe(
      1,
    );
  });

  it('forgets the request hash on the keyed document when the personal data is erased', async () => {
    const key = `k-${randomUUID()}`;
    const { complaint } = await app
      .get(RegisterComplaint)
      .execute(registration({ idempotencyKey: key, requestHash: 'over-personal-data' }));
    expect(await app.get(ErasePersonalData).eraseComplaint('demo-group', complaint._id, 'request', 'r1')).toBe(true);
    const stored = await raw.collection('complaint_idempotency').findOne({ _id: `demo-group:${key}` as never });
    expect(stored?.requestHash).toBe('');
    const replay = app
      .get(RegisterComplaint)
      .execute(registration({ idempotencyKey: key, requestHash: 'over-personal-data' }));
    await expect(replay).rejects.toMatchObject({ code: 'conflict' });
  });

  it('replays a key used before keys had documents of their own, then by the keyed document', async () => {
    const register = app.get(RegisterComplaint);
    const key = `k-${randomUUID()}`;
    const first = await register.execute(registration({ idempotencyKey: key, requestHash: 'h' }));
    // As the previous version left it: the key only on the complaint.
    await raw.collection('complaint_idempotency').deleteOne({ _id: `demo-group:${key}` as never });
    const again = await register.execute(registration({ idempotencyKey: key, requestHash: 'h' }));
    expect(again).toMatchObject({ replayed: true, complaint: { _id: first.complaint._id } });
    const stored = await raw.collection('complaint_idempotency').findOne({ _id: `demo-group:${key}` as never });
    expect(stored).toMatchObject({ complaintId: first.complaint._id, requestHash: 'h' });
    const { result: third, sent } = await during(() =>
      register.execute(registration({ idempotencyKey: key, requestHash: 'h' })),
    );
    expect(third.complaint._id).toBe(first.complaint._id);
    expect(byIdAlone(sent)).toEqual([]);
  });

  it('registers under the key of a request that died after taking it, with the id it named', async () => {
    const key = `k-${randomUUID()}`;
    const id = randomUUID();
    await raw.collection('complaint_idempotency').insertOne({
      _id: `demo-group:${key}` as never,
      groupId: 'demo-group',
      complaintId: id,
      requestHash: 'h',
      createdAt: new Date(Date.now() - 60_000),
    });
    const { complaint, replayed } = await app
      .get(RegisterComplaint)
      .execute(registration({ idempotencyKey: key, requestHash: 'h' }));
    expect({ id: complaint._id, replayed }).toEqual({ id, replayed: false });
  });

  it('reads a timeline by _id and still notices a removed entry, through the head', async () => {
    const { complaint } = await app.get(RegisterComplaint).execute(registration());
    const change = app.get(ChangeComplaint);
    await change.addNote('demo-group', complaint._id, PARTNER, 'first');
    await change.addNote('demo-group', complaint._id, PARTNER, 'second');
    const grpc = app.get(ComplaintsGrpcController);
    const request = { groupId: 'demo-group', complaintId: complaint._id };
    const { sent } = await during(() => grpc.verifyTimeline(request));
    expect(byIdAlone(sent)).toEqual([]);
    expect(await grpc.verifyTimeline(request)).toMatchObject({ valid: true, entries: 3 });
    // A page at a time, each read by `_id`.
    const pages = await during(async () => [
      await grpc.getTimeline({ ...request, afterSeq: 0, limit: 2 }),
      await grpc.getTimeline({ ...request, afterSeq: 2, limit: 2 }),
    ]);
    expect(byIdAlone(pages.sent)).toEqual([]);
    const [first, second] = pages.result;
    expect([first.entries.map((entry) => entry.seq), first.nextAfterSeq]).toEqual([[1, 2], 2]);
    expect([second.entries.map((entry) => entry.seq), second.nextAfterSeq]).toEqual([[3], 0]);
    const all = await grpc.getTimeline({ ...request, afterSeq: 0, limit: 0 });
    expect(all.entries).toHaveLength(3);
    await raw.collection('timeline_entries').deleteOne({ _id: `${complaint._id}:2` as never });
    expect(await grpc.verifyTimeline(request)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    await expect(grpc.getTimeline({ ...request, afterSeq: 0, limit: 0, groupId: 'other-group' })).rejects.toMatchObject(
      { code: 'not_found' },
    );
  });

  it('erases after the retention period what the closes recorded by the hour name, reading no other complaint', async () => {
    const register = app.get(RegisterComplaint);
    const maintain = app.get(MaintainPersonalData);
    await maintain.retentionPass();
    const closed = await register.execute(registration({ resolvedAtFirstContact: true, firstContactAnswer: '已处理' }));
    // Closed behind intake's back, so never recorded: a pass that scanned would find it.
    const unrecorded = await register.execute(registration());
    await raw
      .collection('complaints')
      .updateOne({ _id: unrecorded.complaint._id as never }, { $set: { status: 'closed', closedAt: new Date() } });
    expect(await app.get(RetentionSchedule).closedIn(new Date().toISOString().slice(0, 13))).toContain(
      closed.complaint._id,
    );

    const later = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
    const { result: erased, sent } = await during(() => maintain.retentionPass(later));
    expect(erased).toBeGreaterThanOrEqual(1);
    expect(byIdAlone(sent)).toEqual([]);
    const sealedOf = async (id: string) =>
      (await raw.collection<ComplaintRecord>('complaints').findOne({ _id: id }))?.complainant.sealed;
    expect(await sealedOf(closed.complaint._id)).toBeNull();
    expect(await sealedOf(unrecorded.complaint._id)).not.toBeNull();
    // Done through the last due hour: the next pass reads nothing it read before.
    const { result: again, sent: second } = await during(() => maintain.retentionPass(later));
    expect(again).toBe(0);
    expect(second.filter((c) => c.collection === 'complaints')).toEqual([]);
  });
});

// Two replicas appending to one complaint's timeline at once, each with its own queue.
describe('timeline append: idempotent by source, one intact chain under concurrent writers', () => {
  let connections: mongoose.Connection[];

  beforeAll(async () => {
    const dbName = uniqueDatabase('intake_timeline');
    connections = await Promise.all(
      [1, 2].map(() => mongoose.createConnection(testServers().mongoUrl, { dbName }).asPromise()),
    );
  });
  afterAll(async () => {
    await connections[0].dropDatabase();
    await Promise.all(connections.map((c) => c.close()));
  });

  const entry = (sourceId: string) => ({
    sourceId,
    at: new Date('2026-11-23T01:00:00Z'),
    type: 'note',
    actor: { kind: 'partner', id: 'k1', name: 'hotline' },
    details: { text: sourceId },
  });

  const insertComplaint = async (repositories: ReturnType<typeof repositoriesOn>, id: string) =>
    repositories.complaints.insert({
      ...(registration() as unknown as ComplaintRecord),
      _id: id,
      number: `T-${id.slice(0, 8)}`,
      status: 'registered',
      complainant: { type: 'tenant', anchorTenant: false, sealed: null, key: '', erasedAt: null },
      regionId: 'east',
      idempotencyKey: `auto:${id}`,
      category: '',
      severity: '',
      department: '',
      overdue: false,
      attachmentCount: 0,
      closedAt: null,
      eventIds: [],
      timeline: EMPTY_HEAD,
      createdAt: new Date(),
    });

  it('writes each source once, in one valid chain, and catches up after a writer died mid-append', async () => {
    const [a, b] = connections.map((c) => repositoriesOn(c));
    const id = randomUUID();
    await insertComplaint(a, id);
    const sources = Array.from({ length: 8 }, (_, i) => `s${i}`);
    // Every source twice, from both replicas, all at once.
    await Promise.all(
      sources.flatMap((source, i) => [
        (i % 2 ? a : b).complaints.appendTimeline('demo-group', id, entry(source)),
        (i % 2 ? b : a).complaints.appendTimeline('demo-group', id, entry(source)),
      ]),
    );
    // A writer that stored the entry and died before its head.
    const head = (await a.complaints.findById('demo-group', id))!.timeline;
    const orphan = await a.timeline.place('demo-group', id, head, entry('died'));
    expect(orphan.entry.seq).toBe(head.seq + 1);
    expect(await b.complaints.appendTimeline('demo-group', id, entry('died'))).toMatchObject({ seq: orphan.entry.seq });
    await b.complaints.appendTimeline('demo-group', id, entry('after'));
    // Another group cannot append to it.
    expect(await a.complaints.appendTimeline('other-group', id, entry('intruder'))).toBeUndefined();

    const entries = await a.timeline.list('demo-group', id);
    expect(verifyEntries(entries)).toEqual({ valid: true, entries: sources.length + 2 });
    expect(entries.map((e) => e.sourceId).sort()).toEqual([...sources, 'died', 'after'].sort());
    expect(entries.at(-1)?.sourceId).toBe('after');
    const stored = await a.complaints.findById('demo-group', id);
    expect(stored?.timeline.seq).toBe(entries.length);
    expect(stored?.timeline.sources).toEqual(entries.map((e) => e.sourceId));
    expect(stored?.timeline.hash).toBe(entries.at(-1)?.hash);
  });

  it('decides an event again on the stored record when another replica wrote it after this one remembered it', async () => {
    const [a, b] = connections.map((c) => repositoriesOn(c));
    const id = randomUUID();
    // Replica a registered it and remembers it; replica b withdraws it.
    await insertComplaint(a, id);
    const withdrawn = await b.complaints.changeOpenComplaint(
      'demo-group',
      id,
      { status: 'withdrawn', closedAt: new Date() },
      'e-withdrawn',
      entry('withdrawn'),
    );
    expect(withdrawn.outcome).toBe('changed');
    // a's memory says registered: its decision would assign the complaint, the stored record says no.
    const decided: string[] = [];
    const applied = await a.complaints.applyEvent('demo-group', id, entry('routed'), (complaint) => {
      decided.push(complaint.status);
      return complaint.status === 'withdrawn' ? {} : { status: 'assigned', department: 'engineering' };
    });
    expect(applied).toBe(true);
    expect(decided).toEqual(['registered', 'withdrawn']);
    const stored = await b.complaints.findById('demo-group', id);
    expect(stored).toMatchObject({ status: 'withdrawn', department: '' });
    const entries = await a.timeline.list('demo-group', id);
    expect(verifyEntries(entries)).toEqual({ valid: true, entries: 2 });
    expect(stored?.timeline).toMatchObject({ seq: 2, hash: entries.at(-1)?.hash });
    // What a decides next comes from the record as stored, not from its first decision.
    await a.complaints.applyEvent('demo-group', id, undefined, (complaint) => {
      decided.push(complaint.status);
      return {};
    });
    expect(decided.at(-1)).toBe('withdrawn');
  });
});
