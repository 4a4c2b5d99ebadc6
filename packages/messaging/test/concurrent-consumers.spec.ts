import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { v1 } from '@complaints/contracts';
import { testServers } from '@complaints/devstack';
import {
  COMPLAINTS_STREAM,
  createEvent,
  EventBus,
  payloadOf,
  type ConsumerObserver,
  type EventHandler,
  type Logger,
} from '../src';

// Durable consumers handling several complaints at once, against the real NATS JetStream of
// the jest global setup. Every consumer here starts at the beginning of the stream, so each
// handler skips the events of other tests (`ours`).
describe('EventBus consumers, concurrent by complaint', () => {
  const errors: string[] = [];
  const logger: Logger = { log: () => undefined, error: (message) => void errors.push(message) };
  let bus: EventBus;
  let nc: Awaited<ReturnType<typeof connect>>;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'concurrent-consumers-test', logger });
    nc = await connect({ servers: testServers().natsUrl, name: 'concurrent-consumers-inspector' });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await bus.close();
    await nc.drain();
  });

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await check()) && Date.now() < until) await sleep(20);
  }

  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  /** A breach of `complaintId` labelled `label` (carried in its `deadline` field). */
  function labelled(complaintId: string, label: string): v1.EventEnvelope {
    return createEvent(
      'deadline_breached',
      { groupId: 'g', complaintId },
      v1.DeadlineBreached.fromPartial({ deadline: label, dueAt: '', severity: 'general' }),
    );
  }

  function labelOf(event: v1.EventEnvelope): string {
    return payloadOf(event, 'deadline_breached')?.deadline ?? '';
  }

  function consumerName(what: string): string {
    return `test-${what}-${randomUUID().slice(0, 8)}`;
  }

  /** Handles only the events of `ours`, and calls `handler` for them. */
  function only(ours: Set<string>, handler: EventHandler): EventHandler {
    return async (event, delivery) => {
      if (ours.has(event.complaintId)) await handler(event, delivery);
    };
  }

  it('handles the events of several complaints at the same time', async () => {
    const ids = Array.from({ length: 4 }, () => randomUUID());
    const ours = new Set(ids);
    const allStarted = deferred();
    let started = 0;
    const together: boolean[] = [];
    for (const id of ids) await bus.publish(labelled(id, 'x'));
    const running = await bus.consume(
      { name: consumerName('overlap'), types: ['deadline_breached'], concurrency: 4 },
      only(ours, async () => {
        started += 1;
        if (started === ids.length) allStarted.resolve();
        // Each handler waits for all four to have started: they only can if they run at once.
        together.push(await Promise.race([allStarted.promise.then(() => true), sleep(5_000).then(() => false)]));
      }),
    );
    await waitFor(() => together.length === ids.length);
    await running.stop();
    expect(together).toEqual([true, true, true, true]);
  });

  it("handles one complaint's events one at a time and in stream order, many complaints at once", async () => {
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const ours = new Set(ids);
    const perComplaint = 25;
    // Interleaved, as a storm of several complaints arrives.
    for (let i = 0; i < perComplaint; i++) for (const id of ids) await bus.publish(labelled(id, String(i)));
    const order = new Map<string, number[]>(ids.map((id) => [id, []]));
    const active = new Map<string, number>();
    let overlapWithinComplaint = 0;
    let running = 0;
    let mostRunning = 0;
    const consumer = await bus.consume(
      { name: consumerName('order'), types: ['deadline_breached'], concurrency: 8 },
      only(ours, async (event) => {
        const now = (active.get(event.complaintId) ?? 0) + 1;
        active.set(event.complaintId, now);
        if (now > 1) overlapWithinComplaint += 1;
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        await sleep(Math.random() * 15);
        order.get(event.complaintId)?.push(Number(labelOf(event)));
        running -= 1;
        active.set(event.complaintId, now - 1);
      }),
    );
    await waitFor(() => [...order.values()].every((list) => list.length >= perComplaint), 30_000);
    await sleep(200);
    await consumer.stop();
    const expected = Array.from({ length: perComplaint }, (_, i) => i);
    for (const id of ids) expect(order.get(id)).toEqual(expected);
    expect(overlapWithinComplaint).toBe(0);
    // Up to one per complaint at once.
    expect(mostRunning).toBeGreaterThan(1);
    expect(mostRunning).toBeLessThanOrEqual(ids.length);
  });

  it('never runs more handlers than its concurrency, nor holds more than twice as many events', async () => {
    const gauge: { running: number; waiting: number }[] = [];
    const observer: ConsumerObserver = {
      settled: () => undefined,
      inFlight: ({ running, waiting }) => void gauge.push({ running, waiting }),
    };
    const observed = await EventBus.connect({
      url: testServers().natsUrl,
      name: 'concurrent-consumers-gauge',
      logger,
      observer,
    });
    const name = consumerName('bound');
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const ours = new Set(ids);
    for (const id of ids) await bus.publish(labelled(id, 'x'));
    let running = 0;
    let mostRunning = 0;
    const handled = new Set<string>();
    const consumer = await observed.consume(
      { name, types: ['deadline_breached'], concurrency: 3 },
      only(ours, async (event) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        await sleep(20);
        running -= 1;
        handled.add(event.complaintId);
      }),
    );
    // The server's view: delivered and not yet acknowledged, which includes any pulled ahead.
    let mostAckPending = 0;
    await waitFor(async () => {
      const info = await jsm.consumers.info(COMPLAINTS_STREAM, name);
      mostAckPending = Math.max(mostAckPending, info.num_ack_pending);
      return handled.size === ids.length;
    }, 30_000);
    await consumer.stop();
    await observed.close();
    expect(handled.size).toBe(ids.length);
    expect(mostRunning).toBe(3);
    expect(Math.max(...gauge.map((g) => g.running))).toBe(3);
    // 2 × concurrency, at least 8.
    expect(Math.max(...gauge.map((g) => g.running + g.waiting))).toBeLessThanOrEqual(8);
    // The server's count lags the client: an ack is sent without waiting, and the server may take
    // a pull request before acks it queued earlier, so allow one more concurrency's worth in
    // transit. Pulling ahead unbounded would show all 40.
    expect(mostAckPending).toBeLessThanOrEqual(8 + 3);
    expect(mostAckPending).toBeGreaterThan(3);
    expect(gauge[gauge.length - 1]).toEqual({ running: 0, waiting: 0 });
  });

  it('keeps events alive while they wait for the earlier events of their complaint, past the ack wait', async () => {
    const deliveries: number[] = [];
    const observed = await EventBus.connect({
      url: testServers().natsUrl,
      name: 'concurrent-consumers-keep-alive',
      logger,
      observer: { settled: ({ deliveryCount }) => void deliveries.push(deliveryCount) },
    });
    const id = randomUUID();
    const count = 6;
    for (let i = 0; i < count; i++) await bus.publish(labelled(id, String(i)));
    const handled: number[] = [];
    // 6 × 400 ms one after another: the last waits about 2 s, longer than its 1.5 s ack wait.
    const consumer = await observed.consume(
      { name: consumerName('keep-alive'), types: ['deadline_breached'], concurrency: 2, ackWaitMs: 1_500 },
      only(new Set([id]), async (event) => {
        await sleep(400);
        handled.push(Number(labelOf(event)));
      }),
    );
    await waitFor(() => handled.length >= count);
    // A redelivery would show up well within another ack wait.
    await sleep(2_000);
    await consumer.stop();
    await observed.close();
    expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
    expect(deliveries.filter((n) => n > 1)).toEqual([]);
  });

  it('on stop finishes the handlers running and hands back the rest, each complaint after its running event', async () => {
    const name = consumerName('stop');
    const [a, b, c, d] = Array.from({ length: 4 }, () => randomUUID()) as [string, string, string, string];
    const ours = new Set([a, b, c, d]);
    // Eight events, so that with concurrency 3 all are held at once (2 × 3 would be 6; at least 8).
    const plan: [string, string][] = [
      [a, 'a1'],
      [b, 'b1'],
      [a, 'a2'],
      [b, 'b2'],
      [c, 'c1'],
      [a, 'a3'],
      [b, 'b3'],
      [d, 'd1'],
    ];
    let lastSeq = 0;
    for (const [id, label] of plan) lastSeq = (await bus.publish(labelled(id, label))).seq;

    const log: string[] = [];
    const gate = deferred();
    const first = await bus.consume(
      { name, types: ['deadline_breached'], concurrency: 3 },
      only(ours, async (event) => {
        log.push(`first start ${labelOf(event)}`);
        await gate.promise;
        log.push(`first end ${labelOf(event)}`);
      }),
    );
    // Should an expectation fail, the handlers still finish and the consumers stop.
    const released = setTimeout(gate.resolve, 60_000);
    // a1, b1 and c1 running; a2, a3 behind a1, b2, b3 behind b1, d1 waiting for a handler.
    // (All eight delivered and none settled: other tests' events published meanwhile may follow.)
    await waitFor(async () => {
      const info = await jsm.consumers.info(COMPLAINTS_STREAM, name);
      return log.length === 3 && info.delivered.stream_seq >= lastSeq && info.num_ack_pending === plan.length;
    });
    expect(log.sort()).toEqual(['first start a1', 'first start b1', 'first start c1']);

    const stopped = first.stop();
    const second = await bus.consume(
      { name, types: ['deadline_breached'], concurrency: 3 },
      only(ours, async (event) => {
        log.push(`second start ${labelOf(event)}`);
      }),
    );
    // d1 waited for a handler only: back at once, taken by the other consumer while a1, b1
    // and c1 still run. a2, a3, b2, b3 stay until the event of their complaint is settled.
    await waitFor(() => log.includes('second start d1'));
    await sleep(300);
    expect(log.filter((line) => line.startsWith('second'))).toEqual(['second start d1']);

    gate.resolve();
    clearTimeout(released);
    await stopped;
    const rest = ['a2', 'a3', 'b2', 'b3'];
    await waitFor(() => rest.every((label) => log.includes(`second start ${label}`)));
    await sleep(300);
    await second.stop();

    // Each handled once: nothing still running was handed to the other consumer.
    const handled = log.filter((line) => line.includes('start')).map((line) => line.split(' ')[2]);
    expect(handled.sort()).toEqual(plan.map(([, label]) => label).sort());
    for (const complaint of ['a', 'b']) {
      const seen = log.filter((line) => line.includes(` ${complaint}`));
      expect(seen).toEqual([
        `first start ${complaint}1`,
        `first end ${complaint}1`,
        `second start ${complaint}2`,
        `second start ${complaint}3`,
      ]);
    }
  });

  it('an event published after a consumer stopped goes to the next one at once, not to its old pull', async () => {
    const name = consumerName('after-stop');
    const id = randomUUID();
    const first = await bus.consume({ name, types: ['deadline_breached'] }, async () => undefined);
    // Its pull is waiting on the server when it stops.
    await waitFor(async () => (await jsm.consumers.info(COMPLAINTS_STREAM, name)).num_waiting > 0);
    await first.stop();
    await bus.publish(labelled(id, 'late'));
    const handled: string[] = [];
    const second = await bus.consume(
      { name, types: ['deadline_breached'] },
      only(new Set([id]), async (event) => void handled.push(labelOf(event))),
    );
    // Well within the ack wait an event lost to a dead pull would wait out.
    await waitFor(() => handled.length > 0, 5_000);
    await second.stop();
    expect(handled).toEqual(['late']);
  });

  it('retries a failed event after the later events of its complaint, without holding up the others', async () => {
    const x = randomUUID();
    const y = randomUUID();
    const calls: string[] = [];
    let failed = false;
    for (const [id, label] of [
      [x, 'x1'],
      [x, 'x2'],
      [y, 'y1'],
    ] as const)
      await bus.publish(labelled(id, label));
    const consumer = await bus.consume(
      { name: consumerName('retry-order'), types: ['deadline_breached'], retryBackoff: { initialMs: 300 } },
      only(new Set([x, y]), async (event, { redelivered }) => {
        const label = labelOf(event);
        calls.push(redelivered ? `${label} again` : label);
        if (label === 'x1' && !failed) {
          failed = true;
          throw new Error('x1 fails once');
        }
      }),
    );
    await waitFor(() => calls.length >= 4);
    await sleep(300);
    await consumer.stop();
    // x2 goes ahead while x1 waits out its retry delay on the server (as when consumers were
    // one at a time); y1 is not held up at all.
    // The handler is told which delivery is a second one.
    expect(calls.filter((label) => label.startsWith('x'))).toEqual(['x1', 'x2', 'x1 again']);
    expect(calls).toContain('y1');
  });

  it('throughput with a 20 ms handler: one at a time against 16 at once (printed, not asserted)', async () => {
    const rates: Record<number, number> = {};
    for (const concurrency of [1, 16]) {
      const ids = Array.from({ length: 160 }, () => randomUUID());
      const ours = new Set(ids);
      for (const id of ids) await bus.publish(labelled(id, 'x'));
      let first = 0;
      let last = 0;
      let handled = 0;
      const consumer = await bus.consume(
        { name: consumerName(`rate-${concurrency}`), types: ['deadline_breached'], concurrency },
        only(ours, async () => {
          first ||= Date.now();
          await sleep(20);
          handled += 1;
          last = Date.now();
        }),
      );
      await waitFor(() => handled === ids.length, 60_000);
      await consumer.stop();
      expect(handled).toBe(ids.length);
      rates[concurrency] = Math.round((ids.length * 1000) / Math.max(1, last - first));
    }
    console.log(
      `20 ms handler, 160 events of 160 complaints: concurrency 1 ${rates[1]} events/s, concurrency 16 ${rates[16]} events/s`,
    );
  });

  it('refuses a concurrency below 1 or an ack wait under a second', async () => {
    await expect(
      bus.consume({ name: consumerName('invalid'), types: 'all', concurrency: 0 }, async () => undefined),
    ).rejects.toThrow(RangeError);
    await expect(
      bus.consume({ name: consumerName('invalid'), types: 'all', ackWaitMs: 10 }, async () => undefined),
    ).rejects.toThrow(RangeError);
  });
});
