import { randomUUID } from 'node:crypto';
import { v1 } from '@complaints/contracts';
import { testServers } from '@complaints/devstack';
import { createEvent, EventBus } from '../src';

// Against the real NATS JetStream started by the jest global setup.
describe('EventBus on JetStream', () => {
  let bus: EventBus;
  beforeAll(async () => {
    bus = await EventBus.connect({
      url: testServers().natsUrl,
      name: 'event-bus-test',
      logger: { log: () => undefined, error: () => undefined },
    });
  });
  afterAll(async () => {
    await bus.close();
  });

  function collect(name: string, failFirst = 0) {
    const received: v1.EventEnvelope[] = [];
    let failures = 0;
    const consumer = bus.consume({ name, types: ['deadline_breached'] }, async (event) => {
      if (failures < failFirst) {
        failures++;
        throw new Error('handler failed');
      }
      received.push(event);
    });
    return { received, consumer };
  }

  async function waitFor(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('delivers each event once even when it is published twice', async () => {
    const complaintId = randomUUID();
    const { received, consumer } = collect(`test-dedup-${complaintId.slice(0, 8)}`);
    const event = createEvent(
      'deadline_breached',
      { groupId: 'g', complaintId, idempotencyKey: `breach:${complaintId}` },
      { deadline: 'firstReplyBy', dueAt: '', severity: 'general' },
    );
    const first = await bus.publish(event);
    const second = await bus.publish(event);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);

    await waitFor(() => received.some((e) => e.complaintId === complaintId));
    const running = await consumer;
    // Give a second delivery the chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await running.stop();
    expect(received.filter((e) => e.complaintId === complaintId)).toHaveLength(1);
  });

  it('redelivers an event whose handler failed', async () => {
    const complaintId = randomUUID();
    const { received, consumer } = collect(`test-retry-${complaintId.slice(0, 8)}`, 1);
    await bus.publish(
      createEvent(
        'deadline_breached',
        { groupId: 'g', complaintId },
        { deadline: 'resolveBy', dueAt: '', severity: 'major' },
      ),
    );
    await waitFor(() => received.some((e) => e.complaintId === complaintId));
    await (await consumer).stop();
    expect(received.filter((e) => e.complaintId === complaintId)).toHaveLength(1);
  });

  it('resumes a durable consumer where it stopped', async () => {
    const name = `test-durable-${randomUUID().slice(0, 8)}`;
    const first = collect(name);
    const a = randomUUID();
    await bus.publish(
      createEvent(
        'deadline_breached',
        { groupId: 'g', complaintId: a },
        { deadline: 'callbackBy', dueAt: '', severity: 'general' },
      ),
    );
    await waitFor(() => first.received.some((e) => e.complaintId === a));
    await (await first.consumer).stop();

    const b = randomUUID();
    await bus.publish(
      createEvent(
        'deadline_breached',
        { groupId: 'g', complaintId: b },
        { deadline: 'callbackBy', dueAt: '', severity: 'general' },
      ),
    );
    const second = collect(name);
    await waitFor(() => second.received.some((e) => e.complaintId === b));
    await (await second.consumer).stop();
    expect(second.received.map((e) => e.complaintId)).toContain(b);
    expect(second.received.map((e) => e.complaintId)).not.toContain(a);
  });
});
