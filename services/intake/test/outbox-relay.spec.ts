import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent, EventBus } from '@complaints/messaging';
import type { ComplaintRecord } from '../src/complaints/complaint.schema';
import { forEvent } from '../src/complaints/complaint.converter';
import { OutboxRelay } from '../src/complaints/outbox-relay';
import { timelineEntryFor } from '../src/timeline/timeline-entries';
import { IntakeConfig } from '../src/config';
import { EMPTY_HEAD } from '../src/timeline/timeline.schema';
import { repositoriesOn, verifyEntries } from './fixtures';

/** Every filter the driver sent, per collection: the relay must address complaints by `_id` alone. */
function recordFilters(connection: mongoose.Connection) {
  const seen: { collection: string; filter: Record<string, unknown> }[] = [];
  connection.getClient().on('commandStarted', (event) => {
    const command = event.command as Record<string, unknown>;
    const collection = command[event.commandName];
    if (typeof collection !== 'string') return;
    const filters = [
      command.filter,
      ...((command.updates as { q: unknown }[] | undefined) ?? []).map((u) => u.q),
      ...((command.deletes as { q: unknown }[] | undefined) ?? []).map((d) => d.q),
    ].filter(Boolean) as Record<string, unknown>[];
    for (const filter of filters) seen.push({ collection, filter });
  });
  return seen;
}

function complaint(id: string, eventIds: string[]): ComplaintRecord {
  const longAgo = new Date(Date.now() - 60_000);
  return {
    _id: id,
    groupId: 'g1',
    number: `T-${id.slice(0, 8)}`,
    propertyId: 'shm01',
    channel: 'phone',
    receivedAt: longAgo,
    complainant: { type: 'consumer', anchorTenant: false, sealed: null, key: '', erasedAt: null },
    location: '',
    description: 'd',
    demand: '',
    status: 'registered',
    language: 'zh-CN',
    confidential: false,
    confidentialStaffIds: [],
    coComplainantCount: 0,
    categoryHint: '',
    severityHint: '',
    regionId: 'east',
    involvedDepartment: '',
    involvedStaff: '',
    serviceItem: '',
    resolvedAtFirstContact: false,
    firstContactAnswer: '',
    registeredBy: { kind: 'partner', id: 'k1', name: 'hotline' },
    idempotencyKey: `auto:${id}`,
    requestHash: '',
    category: '',
    severity: '',
    department: '',
    overdue: false,
    closedAt: null,
    attachmentCount: 0,
    eventIds,
    timeline: EMPTY_HEAD,
    createdAt: longAgo,
  };
}

// A complaint stored naming its event, then the process died before publishing: the relay must
// publish it, reading only the pending events and the complaint by `_id`.
describe('outbox relay', () => {
  let connection: mongoose.Connection;
  let bus: EventBus;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, {
        dbName: uniqueDatabase('intake_outbox'),
        monitorCommands: true,
      })
      .asPromise();
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'outbox-test' });
  });
  afterAll(async () => {
    await bus.close();
    await connection.dropDatabase();
    await connection.close();
  });

  it('publishes what a crash left pending, once, without scanning complaints, and drops what was never stored', async () => {
    const { complaints, outbox, states, timeline } = repositoriesOn(connection);
    const stored = randomUUID();
    const neverStored = randomUUID();
    const record = complaint(stored, []);
    const event = createEvent(
      'registered',
      { groupId: 'g1', complaintId: stored, idempotencyKey: `registered:${stored}` },
      { complaint: forEvent(record) },
    );
    const orphan = createEvent(
      'registered',
      { groupId: 'g1', complaintId: neverStored, idempotencyKey: `registered:${neverStored}` },
      { complaint: undefined },
    );
    const note = createEvent(
      'note_added',
      { groupId: 'g1', complaintId: stored },
      {
        actor: { kind: 'partner', id: 'k1', name: 'hotline' },
        text: 'called back',
        kind: '',
        spotCheck: undefined,
      },
    );
    // The order registration writes in, stopped before the publish; a note stored on the record
    // but stopped before its timeline entry; and a registration stopped before the insert.
    await outbox.add(event);
    await outbox.add(note);
    // Stored with the head of its first entry, stopped before writing the entry itself.
    const first = timeline.first('g1', stored, timelineEntryFor(event)!);
    await complaints.insert({ ...record, eventIds: [event.eventId, note.eventId], timeline: first.head });
    await outbox.add(orphan);
    // Many complaints already stored: none of them is read.
    for (let i = 0; i < 20; i++) await complaints.insert(complaint(randomUUID(), [randomUUID()]));

    const received: v1.EventEnvelope[] = [];
    const consumer = await bus.consume(
      { name: `outbox-test-${stored.slice(0, 8)}`, types: ['registered'] },
      async (e) => {
        if (e.complaintId === stored || e.complaintId === neverStored) received.push(e);
      },
    );

    const relay = new OutboxRelay(
      complaints,
      outbox,
      states,
      bus,
      new IntakeConfig({ OUTBOX_RELAY_INTERVAL_MS: '1000' }),
    );
    // Too young yet: in-flight requests publish their own events.
    expect(await relay.relayOnce()).toBe(0);
    const filters = recordFilters(connection);
    const later = Date.now() + 5_000;
    expect(await relay.relayOnce(later)).toBe(2);
    // The entries are written before their events go out: intake's consumer leaves its own events alone.
    const entries = await timeline.list('g1', stored);
    expect(entries.map((entry) => [entry.seq, entry.type, entry.sourceId])).toEqual([
      [1, 'registered', event.eventId],
      [2, 'note', note.eventId],
    ]);
    expect(verifyEntries(entries)).toEqual({ valid: true, entries: 2 });
    expect(entries[0].hash).toBe(first.head.hash);
    // Nothing is left for a second pass; the orphan waits for its request a while longer.
    expect(await relay.relayOnce(later)).toBe(0);
    expect((await outbox.all()).map((pending) => pending._id)).toEqual([orphan.eventId]);
    // Its request is long gone: dropped, never published.
    expect(await relay.relayOnce(Date.now() + 120_000)).toBe(0);
    expect(await outbox.all()).toEqual([]);

    const onComplaints = filters.filter((seen) => seen.collection === 'complaints');
    expect(onComplaints.length).toBeGreaterThan(0);
    for (const { filter } of onComplaints) expect(Object.keys(filter)).toEqual(['_id']);

    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await consumer.stop();
    expect(received.map((e) => e.eventId)).toEqual([event.eventId]);
  });

  it('moves the events the previous version left on complaints to pending_outbox once, and publishes them', async () => {
    const { complaints, outbox, states } = repositoriesOn(connection);
    const id = randomUUID();
    const event = createEvent(
      'registered',
      { groupId: 'g1', complaintId: id, idempotencyKey: `registered:${id}` },
      {
        complaint: undefined,
      },
    );
    // As the previous version stored it: the event on the record, no eventIds, no timeline head.
    const { eventIds: _ids, timeline: _head, ...previous } = complaint(id, []);
    await connection.collection('complaints').insertOne({
      ...previous,
      _id: id as never,
      outbox: [{ eventId: event.eventId, envelope: Buffer.from(v1.EventEnvelope.encode(event).finish()) }],
    });
    const received: v1.EventEnvelope[] = [];
    const consumer = await bus.consume(
      { name: `outbox-legacy-${id.slice(0, 8)}`, types: ['registered'] },
      async (e) => {
        if (e.complaintId === id) received.push(e);
      },
    );
    const relay = new OutboxRelay(
      complaints,
      outbox,
      states,
      bus,
      new IntakeConfig({ OUTBOX_RELAY_INTERVAL_MS: '1000' }),
    );
    expect(await relay.adoptLegacyOutboxes()).toBe(1);
    expect(await relay.adoptLegacyOutboxes()).toBe(0);
    expect(await relay.relayOnce()).toBe(1);
    const stored = await connection.collection('complaints').findOne({ _id: id as never });
    expect(stored).not.toHaveProperty('outbox');
    expect(stored?.eventIds).toEqual([event.eventId]);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.stop();
    expect(received.map((e) => e.eventId)).toEqual([event.eventId]);
  });
});
