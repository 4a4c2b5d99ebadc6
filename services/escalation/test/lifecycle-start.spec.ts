import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent, EventBus } from '@complaints/messaging';
import { EscalationConfig } from '../src/config';
import { LifecycleEventsConsumer } from '../src/lifecycle/lifecycle-events.consumer';
import { lifecycleWorkflowId } from '../src/lifecycle/types';
import { complaintLifecycleWorkflow } from '../src/lifecycle/workflow';
import { SignalLifecycle } from '../src/lifecycle/use-cases/signal-lifecycle';
import { StartLifecycle } from '../src/lifecycle/use-cases/start-lifecycle';
import { DEFAULT_POLICY } from '../src/policies/deadline-policy';
import { PoliciesRepository } from '../src/policies/policies.repository';
import { CalendarDocument, CalendarSchema, PolicyDocument, PolicySchema } from '../src/policies/policy.schema';
import { deadline, LifecycleHarness } from './lifecycle-harness';

const HOUR = 3_600_000;
const twoHourFirstReply = {
  severities: {
    general: { ...DEFAULT_POLICY.severities.general, firstReply: { duration: 'PT2H', basis: 'calendar' } },
  },
};

// What one routed complaint costs escalation: the store round trips (counted by the driver's
// command monitoring on real FerretDB, as store_commands_total counts them in the service) and
// the Temporal calls, with the lifecycle running on the time-skipping server.
describe('lifecycle starts at capacity', () => {
  let harness: LifecycleHarness;
  let connection: mongoose.Connection;
  /** Store commands sent, by collection, since the last `take()`. */
  let sent: string[] = [];
  const take = () => {
    const commands = sent;
    sent = [];
    return commands;
  };
  let bus: EventBus;

  beforeAll(async () => {
    harness = await LifecycleHarness.create();
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('escalation_start'), monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => {
      const target: unknown = event.command[event.commandName];
      if (typeof target === 'string') sent.push(`${event.commandName}:${target}`);
    });
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'escalation-start-test' });
    const policies = connection.model(PolicyDocument.name, PolicySchema);
    const calendars = connection.model(CalendarDocument.name, CalendarSchema);
    await Promise.all([policies.init(), calendars.init()]);
    take();
  });
  afterAll(async () => {
    await bus.close();
    await connection.dropDatabase();
    await connection.close();
    await harness.teardown();
  });

  function escalation(env: Record<string, string> = {}) {
    const config = new EscalationConfig({ TEMPORAL_TASK_QUEUE: harness.taskQueue, ...env });
    const repository = new PoliciesRepository(
      connection.model<PolicyDocument>(PolicyDocument.name),
      connection.model<CalendarDocument>(CalendarDocument.name),
      config,
    );
    const client = harness.env.client;
    const consumer = new LifecycleEventsConsumer(
      bus,
      new StartLifecycle(client, config, repository),
      new SignalLifecycle(client),
    );
    return { repository, consumer };
  }

  function routed(groupId: string, overrides: Partial<v1.ComplaintRouted> = {}) {
    const complaintId = randomUUID();
    const event = createEvent(
      'routed',
      { groupId, complaintId, idempotencyKey: `routed:${complaintId}` },
      v1.ComplaintRouted.fromPartial({
        number: 'SHM01-20261204-0001',
        propertyId: 'p1',
        regionId: 'r1',
        category: 'service_quality',
        severity: 'general',
        department: 'customer_service',
        receivedAt: new Date().toISOString(),
        handler: { kind: 'staff', id: 's1', name: '王芳' },
        channel: 'phone',
        ...overrides,
      }),
    );
    return { complaintId, event };
  }

  const state = (complaintId: string) =>
    harness.state(harness.env.client.workflow.getHandle(lifecycleWorkflowId(complaintId)));

  it('reads the policy scopes and the calendar once, by _id, then starts further complaints without the store', async () => {
    const { consumer } = escalation();
    const groupId = `g-${randomUUID().slice(0, 8)}`;
    const first = routed(groupId);
    await consumer.handle(first.event);
    // Group, region and property overrides and the region's calendar: four finds by _id.
    expect(take().sort()).toEqual(['find:calendars', 'find:policies', 'find:policies', 'find:policies']);
    expect((await state(first.complaintId)).status).toBe('assigned');

    const next = [routed(groupId), routed(groupId), routed(groupId)];
    await Promise.all(next.map(({ event }) => consumer.handle(event)));
    expect(take()).toEqual([]);
    for (const { complaintId } of next) expect((await state(complaintId)).status).toBe('assigned');
  });

  it('shares one read among complaints started at the same moment', async () => {
    const { consumer } = escalation();
    const groupId = `g-${randomUUID().slice(0, 8)}`;
    await Promise.all(Array.from({ length: 8 }, () => consumer.handle(routed(groupId).event)));
    expect(take()).toHaveLength(4);
  });

  it('starts with a policy written through this replica at once, and reads only the scope written', async () => {
    const { consumer, repository } = escalation();
    const groupId = `g-${randomUUID().slice(0, 8)}`;
    await consumer.handle(routed(groupId).event);
    take();
    const policy = twoHourFirstReply;
    await repository.putOverride(groupId, { kind: 'property', id: 'p1' }, policy, 's-admin');
    take();
    const after = routed(groupId);
    await consumer.handle(after.event);
    expect(take()).toEqual(['find:policies']);
    const started = await state(after.complaintId);
    const receivedAt = Date.parse(payloadReceivedAt(after.event));
    expect(Date.parse(deadline(started, 'firstReplyBy').dueAt!)).toBe(receivedAt + 2 * HOUR);
  });

  it("keeps another replica's write out for the cache period only (a running lifecycle keeps its policy anyway)", async () => {
    const groupId = `g-${randomUUID().slice(0, 8)}`;
    const { consumer } = escalation();
    const other = escalation();
    await consumer.handle(routed(groupId).event);
    const policy = twoHourFirstReply;
    await other.repository.putOverride(groupId, { kind: 'group' }, policy, 's-admin');
    take();
    const stale = routed(groupId);
    await consumer.handle(stale.event);
    expect(take()).toEqual([]);
    const receivedAt = Date.parse(payloadReceivedAt(stale.event));
    expect(Date.parse(deadline(await state(stale.complaintId), 'firstReplyBy').dueAt!)).toBe(receivedAt + HOUR);

    // Without the cache (POLICY_CACHE_MS=0) every start reads all four documents.
    const uncached = escalation({ POLICY_CACHE_MS: '0' });
    const fresh = routed(groupId);
    await uncached.consumer.handle(fresh.event);
    expect(take()).toHaveLength(4);
    const freshReceivedAt = Date.parse(payloadReceivedAt(fresh.event));
    expect(Date.parse(deadline(await state(fresh.complaintId), 'firstReplyBy').dueAt!)).toBe(
      freshReceivedAt + 2 * HOUR,
    );
  });

  it('passes later events on as signals without reading the store', async () => {
    const { consumer } = escalation();
    const groupId = `g-${randomUUID().slice(0, 8)}`;
    const { complaintId, event } = routed(groupId);
    await consumer.handle(event);
    take();
    const header = (kind: string) => ({ groupId, complaintId, idempotencyKey: `${kind}:${complaintId}` });
    const actor = { kind: 'staff', id: 's-m', name: '李娜' };
    await consumer.handle(
      createEvent(
        'reclassified',
        header('reclassified'),
        v1.ComplaintReclassified.fromPartial({ actor, reason: '媒体介入', severity: 'major' }),
      ),
    );
    await consumer.handle(
      createEvent(
        'reassigned',
        header('reassigned'),
        v1.ComplaintReassigned.fromPartial({ actor, handler: { kind: 'staff', id: 's2', name: '张伟' } }),
      ),
    );
    await consumer.handle(
      createEvent('merged', header('merged'), v1.ComplaintMerged.fromPartial({ intoComplaintId: 'parent-1' })),
    );
    await consumer.handle(
      createEvent('unmerged', header('unmerged'), v1.ComplaintUnmerged.fromPartial({ actor, reason: '不是同一事项' })),
    );
    expect(await state(complaintId)).toMatchObject({
      severity: 'major',
      handler: { id: 's2', name: '张伟' },
      status: 'assigned',
    });
    await consumer.handle(
      createEvent('withdrawn', header('withdrawn'), v1.ComplaintWithdrawn.fromPartial({ reason: '已协商' })),
    );
    const ended = harness.env.client.workflow.getHandle<typeof complaintLifecycleWorkflow>(
      lifecycleWorkflowId(complaintId),
    );
    expect((await ended.result()).status).toBe('withdrawn');
    expect(take()).toEqual([]);
  });
});

function payloadReceivedAt(event: v1.EventEnvelope): string {
  if (event.payload?.$case !== 'routed') throw new Error('not a routed event');
  return event.payload.value.receivedAt;
}
