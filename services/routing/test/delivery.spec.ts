import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { type RunningPlatform, call, eventually, startTestPlatform } from '@complaints/devstack';
import type { v1 } from '@complaints/contracts';
import { createEvent, EventBus, payloadOf, type RunningConsumer } from '@complaints/messaging';

interface Decision {
  category: string;
  severity: string;
  handler: { id: string } | null;
  reasons: string[];
}

// SPEC §3 delivery: one durable consumer shared by the routing replicas, idempotent per complaint.
describe('routing delivery: two replicas, redelivered events', () => {
  let platform: RunningPlatform;
  let bus: EventBus;
  let capture: RunningConsumer;
  const registered = new Map<string, v1.EventEnvelope>();
  /** Routed and merged event ids per complaint: a second, different one would be a second decision. */
  const eventIds = new Map<string, Set<string>>();
  const idsOf = (type: 'routed' | 'merged', complaintId: string) => eventIds.get(`${type}:${complaintId}`);
  const seen = new Set<string>();
  let url: string;

  beforeAll(async () => {
    platform = await startTestPlatform('routing-delivery', { replicas: { routing: 2 } });
    url = `${platform.gatewayUrl}/v1/complaints`;
    bus = await EventBus.connect({ url: platform.natsUrl, name: 'routing-delivery-test' });
    // The test's own durable consumer: a copy of every registered event (to send again later),
    // and the routed events of each complaint.
    capture = await bus.consume(
      { name: 'test-capture', types: ['registered', 'routed', 'merged', 'note_added'] },
      async (event) => {
        seen.add(event.eventId);
        if (payloadOf(event, 'registered')) registered.set(event.complaintId, event);
        if (event.type === 'routed' || event.type === 'merged') {
          const key = `${event.type}:${event.complaintId}`;
          eventIds.set(key, (eventIds.get(key) ?? new Set()).add(event.eventId));
        }
      },
    );
  });
  afterAll(async () => {
    await capture?.stop();
    await bus?.close();
    await platform?.stop();
  });

  async function register(n: number): Promise<{ id: string; number: string }> {
    const response = await call(url, platform.apiKey, {
      body: {
        propertyId: n % 2 === 0 ? 'sh-mall' : 'gz-estate',
        channel: 'phone',
        complainant: { name: `投诉人${n}`, contact: `1390001${String(n).padStart(4, '0')}`, type: 'consumer' },
        location: `${n}号位置`,
        description: `第${n}件事：卫生间没有纸巾`,
      },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; number: string };
  }

  async function decisionOf(id: string): Promise<Decision> {
    return eventually(async () => {
      const answer = await call(`${url}/${id}/routing`, platform.apiKey);
      return answer.status === 200 ? ((await answer.json()) as Decision) : undefined;
    }, `the routing decision of ${id}`);
  }

  /** `routed <number> (event <id>)` messages of both replicas' JSON logs, by replica. */
  function routedLines(): Record<'routing' | 'routing-2', string[]> {
    const read = (name: 'routing' | 'routing-2') =>
      fs
        .readFileSync(platform.logFiles[name], 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: unknown; complaint_id?: unknown; trace_id?: unknown })
        .filter((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('routed '))
        .map((entry) => {
          // Without a trace exporter too, a consumer's log lines carry its complaint and trace.
          expect([typeof entry.complaint_id, typeof entry.trace_id]).toEqual(['string', 'string']);
          return entry.msg as string;
        });
    return { routing: read('routing'), 'routing-2': read('routing-2') };
  }

  /** Publishes the complaint's registered event again, as after an ack lost past JetStream's duplicate window. */
  async function redeliverRegistered(complaint: { id: string; number: string }): Promise<void> {
    const original = await eventually(async () => registered.get(complaint.id), 'the registered event');
    expect(payloadOf(original, 'registered')?.complaint?.number).toBe(complaint.number);
    // The same event again, as after an ack lost past JetStream's duplicate window: a new message id.
    const again = { ...original, eventId: randomUUID() };
    const { duplicate } = await bus.publish(again);
    expect(duplicate).toBe(false);
    await eventually(async () => {
      const lines = routedLines();
      return [...lines.routing, ...lines['routing-2']].some((line) => line.includes(`(event ${again.eventId})`))
        ? true
        : undefined;
    }, 'a replica to handle the redelivered event');

    // Whatever the replica published came before this marker in the stream; the capture has it once the marker is in.
    const marker = createEvent(
      'note_added',
      { groupId: 'marker', complaintId: randomUUID() },
      { actor: undefined, text: 'marker', kind: '', spotCheck: undefined },
    );
    await bus.publish(marker);
    await eventually(async () => (seen.has(marker.eventId) ? true : undefined), 'the marker');
  }

  it('routes each registered complaint exactly once across the two replicas', async () => {
    const complaints: { id: string; number: string }[] = [];
    for (let n = 1; n <= 24; n++) complaints.push(await register(n));
    await Promise.all(complaints.map((complaint) => decisionOf(complaint.id)));

    // A replica logs just after storing its decision (and pino writes a moment later).
    const lines = await eventually(async () => {
      const found = routedLines();
      const seen = [...found.routing, ...found['routing-2']];
      return complaints.every(({ number }) => seen.some((line) => line.startsWith(`routed ${number} `)))
        ? found
        : undefined;
    }, 'a routed line for every complaint');
    const all = [...lines.routing, ...lines['routing-2']];
    for (const { number } of complaints) {
      expect(all.filter((line) => line.startsWith(`routed ${number} `))).toHaveLength(1);
    }
    expect(all).toHaveLength(complaints.length);
    // Shared, not one replica idle while the other does everything.
    expect(lines.routing.length).toBeGreaterThan(0);
    expect(lines['routing-2'].length).toBeGreaterThan(0);
  });

  it('changes nothing when a registered event is delivered again, even after a staff override', async () => {
    const complaint = await register(99);
    const before = await decisionOf(complaint.id);
    const override = await call(`${url}/${complaint.id}/classification`, platform.apiKey, {
      body: { severity: 'important', reason: '客户情绪激动' },
    });
    expect(override.status).toBe(200);
    const overridden = (await override.json()) as Decision;
    expect(overridden.severity).toBe('important');

    await redeliverRegistered(complaint);

    expect(idsOf('routed', complaint.id)?.size).toBe(1);
    const after = await decisionOf(complaint.id);
    expect(after).toEqual(overridden);
    expect(after.handler).toEqual(before.handler);
  });

  it('publishes no second merge when the event of a complaint merged by hand comes again', async () => {
    const kept = await register(100);
    const merged = await register(102);
    await Promise.all([decisionOf(kept.id), decisionOf(merged.id)]);
    const merge = await call(`${url}/${merged.id}/merge`, platform.apiKey, {
      body: { into: kept.id, reason: '同一件事' },
    });
    expect(merge.status).toBe(200);
    const decided = (await merge.json()) as Decision;
    await eventually(async () => idsOf('merged', merged.id), 'the merge event');

    await redeliverRegistered(merged);

    expect(idsOf('merged', merged.id)?.size).toBe(1);
    expect(idsOf('routed', merged.id)?.size).toBe(1);
    expect(await decisionOf(merged.id)).toEqual(decided);
  });
});
