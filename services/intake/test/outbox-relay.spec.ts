import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent, EventBus } from '@complaints/messaging';
import {
  ComplaintRecord,
  ComplaintSchema,
  NumberClaim,
  NumberClaimSchema,
  NumberCounter,
  NumberCounterSchema,
} from '../src/complaints/complaint.schema';
import { ComplaintsRepository } from '../src/complaints/complaints.repository';
import { OutboxRelay } from '../src/complaints/outbox-relay';
import { IntakeConfig } from '../src/config';

// A complaint stored with its event, then the process died before publishing: the relay must publish it.
describe('outbox relay', () => {
  let connection: mongoose.Connection;
  let repository: ComplaintsRepository;
  let bus: EventBus;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('intake_outbox') })
      .asPromise();
    repository = new ComplaintsRepository(
      connection.model(ComplaintRecord.name, ComplaintSchema),
      connection.model(NumberCounter.name, NumberCounterSchema),
      connection.model(NumberClaim.name, NumberClaimSchema),
    );
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'outbox-test' });
  });
  afterAll(async () => {
    await bus.close();
    await connection.dropDatabase();
    await connection.close();
  });

  it('publishes events left behind, once, and clears them', async () => {
    const id = randomUUID();
    const event = createEvent(
      'registered',
      { groupId: 'g1', complaintId: id, idempotencyKey: `registered:${id}` },
      {
        complaint: undefined,
      },
    );
    const longAgo = new Date(Date.now() - 60_000);
    await repository.insert({
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
      outbox: [{ eventId: event.eventId, envelope: Buffer.from(v1.EventEnvelope.encode(event).finish()) }],
      createdAt: longAgo,
    });

    const received: v1.EventEnvelope[] = [];
    const consumer = await bus.consume({ name: `outbox-test-${id.slice(0, 8)}`, types: ['registered'] }, async (e) => {
      if (e.complaintId === id) received.push(e);
    });

    const relay = new OutboxRelay(repository, bus, new IntakeConfig({ OUTBOX_RELAY_INTERVAL_MS: '1000' }));
    expect(await relay.relayOnce()).toBeGreaterThanOrEqual(1);
    expect((await repository.findById('g1', id))?.outbox).toEqual([]);
    // Nothing is left for a second pass.
    expect(await relay.relayOnce()).toBe(0);

    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.stop();
    expect(received.map((e) => e.eventId)).toEqual([event.eventId]);
  });
});
