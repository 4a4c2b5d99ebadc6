import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { v1 } from '@complaints/contracts';
import { testServers } from '@complaints/devstack';
import {
  COMPLAINTS_STREAM,
  createEvent,
  DEAD_LETTER_HEADERS,
  EventBus,
  MAX_REASON_LENGTH,
  SERVER_MAX_DELIVER_MARGIN,
  subjectOf,
  type DeadLetter,
  type Logger,
} from '../src';

// Against the real NATS JetStream started by the jest global setup.
describe('EventBus on JetStream', () => {
  let bus: EventBus;
  const errors: string[] = [];
  const logger: Logger = { log: () => undefined, error: (message) => void errors.push(message) };
  // A plain connection, to look at the consumers and to publish what EventBus never would.
  let nc: Awaited<ReturnType<typeof connect>>;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'event-bus-test', logger });
    nc = await connect({ servers: testServers().natsUrl, name: 'event-bus-test-inspector' });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await bus.close();
    await nc.drain();
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

  async function waitFor(check: () => boolean | Promise<boolean>, intervalMs = 50): Promise<void> {
    for (let i = 0; i < 10_000 / intervalMs && !(await check()); i++) await sleep(intervalMs);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function breach(complaintId: string): v1.EventEnvelope {
    return createEvent(
      'deadline_breached',
      { groupId: 'g', complaintId },
      v1.DeadlineBreached.fromPartial({ deadline: 'resolveBy', dueAt: '', severity: 'general' }),
    );
  }

  it('delivers each event once even when it is published twice', async () => {
    const complaintId = randomUUID();
    const { received, consumer } = collect(`test-dedup-${complaintId.slice(0, 8)}`);
    const event = createEvent(
      'deadline_breached',
      { groupId: 'g', complaintId, idempotencyKey: `breach:${complaintId}` },
      v1.DeadlineBreached.fromPartial({ deadline: 'firstReplyBy', dueAt: '', severity: 'general' }),
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
        v1.DeadlineBreached.fromPartial({ deadline: 'resolveBy', dueAt: '', severity: 'major' }),
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
        v1.DeadlineBreached.fromPartial({ deadline: 'callbackBy', dueAt: '', severity: 'general' }),
      ),
    );
    await waitFor(() => first.received.some((e) => e.complaintId === a));
    await (await first.consumer).stop();

    const b = randomUUID();
    await bus.publish(
      createEvent(
        'deadline_breached',
        { groupId: 'g', complaintId: b },
        v1.DeadlineBreached.fromPartial({ deadline: 'callbackBy', dueAt: '', severity: 'general' }),
      ),
    );
    const second = collect(name);
    await waitFor(() => second.received.some((e) => e.complaintId === b));
    await (await second.consumer).stop();
    expect(second.received.map((e) => e.complaintId)).toContain(b);
    expect(second.received.map((e) => e.complaintId)).not.toContain(a);
  });

  it('a stopping consumer finishes the event in hand and hands the buffered ones back at once', async () => {
    const name = `test-stop-${randomUUID().slice(0, 8)}`;
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) await bus.publish(breach(id));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    // One at a time, as every consumer was before they were concurrent.
    const first = await bus.consume({ name, types: ['deadline_breached'], concurrency: 1 }, async (event) => {
      handled.push(event.complaintId);
      if (handled.length === 1) await gate;
    });
    await waitFor(() => handled.length === 1);
    const stopped = first.stop();
    release();
    await stopped;
    expect(handled).toHaveLength(1);

    // Handed back, not left to the 30 s ack wait: the next replica gets them well within it.
    const second = collect(name);
    await waitFor(() => ids.every((id) => second.received.some((e) => e.complaintId === id)));
    await (await second.consumer).stop();
    expect(second.received.map((e) => e.complaintId)).toEqual(expect.arrayContaining(ids));
  });

  it('shares the events of one durable consumer between two replicas, each event handled once', async () => {
    const name = `test-replicas-${randomUUID().slice(0, 8)}`;
    const replica = await EventBus.connect({ url: testServers().natsUrl, name: 'event-bus-test-replica', logger });
    const ours = new Set<string>();
    const handled: { complaintId: string; by: 'a' | 'b' }[] = [];
    const handler = (by: 'a' | 'b') => async (event: v1.EventEnvelope) => {
      if (!ours.has(event.complaintId)) return; // events of the other tests in this file
      handled.push({ complaintId: event.complaintId, by });
      await sleep(5);
    };
    const a = await bus.consume({ name, types: ['deadline_breached'] }, handler('a'));
    const b = await replica.consume({ name, types: ['deadline_breached'] }, handler('b'));
    // Publish only once both replicas have a pull request waiting on the server and the older
    // events are through. The server then hands out messages to the waiting pull requests in
    // turn (round robin over its wait queue), so both replicas take part however fast the
    // handlers are; without this wait the first replica could take all 40 into its buffer.
    await waitFor(async () => {
      const info = await jsm.consumers.info(COMPLAINTS_STREAM, name);
      return info.num_waiting >= 2 && info.num_pending === 0 && info.num_ack_pending === 0;
    });

    const ids = Array.from({ length: 40 }, () => randomUUID());
    ids.forEach((id) => ours.add(id));
    for (const id of ids) await bus.publish(breach(id));
    await waitFor(() => new Set(handled.map((h) => h.complaintId)).size === ids.length);
    // Give a second delivery the chance to show up before counting.
    await sleep(300);
    await Promise.all([a.stop(), b.stop()]);
    await replica.close();

    const times = new Map<string, number>();
    for (const { complaintId } of handled) times.set(complaintId, (times.get(complaintId) ?? 0) + 1);
    expect(ids.filter((id) => times.get(id) !== 1)).toEqual([]);
    expect(handled).toHaveLength(ids.length);
    expect(handled.filter((h) => h.by === 'a').length).toBeGreaterThan(0);
    expect(handled.filter((h) => h.by === 'b').length).toBeGreaterThan(0);
  });

  it('dead-letters an event whose handler keeps failing, and goes on with the others', async () => {
    const name = `test-poison-${randomUUID().slice(0, 8)}`;
    const poison = breach(randomUUID());
    const others = Array.from({ length: 5 }, () => breach(randomUUID()));
    const ours = new Set([poison, ...others].map((e) => e.complaintId));
    const calls: string[] = [];
    const running = await bus.consume(
      { name, types: ['deadline_breached'], maxDeliveries: 3, retryBackoff: { initialMs: 300, maxMs: 1_000 } },
      async (event) => {
        if (!ours.has(event.complaintId)) return;
        calls.push(event.complaintId);
        if (event.complaintId === poison.complaintId) {
          throw new Error(`cannot handle\r\nthis event ${'x'.repeat(2_000)}`);
        }
      },
    );
    const { seq } = await bus.publish(poison);
    for (const event of others) await bus.publish(event);

    let letters: DeadLetter[] = [];
    await waitFor(async () => {
      letters = await bus.deadLetters(name);
      return letters.some((l) => l.original.seq === seq);
    }, 100);
    const letter = letters.find((l) => l.original.seq === seq);
    expect(letter).toBeDefined();
    if (!letter) return;

    // Three deliveries, then the dead letter with the original bytes and why.
    const attempts = calls.filter((id) => id === poison.complaintId);
    expect(attempts).toHaveLength(3);
    expect(letter.consumer).toBe(name);
    expect(letter.original).toEqual({
      subject: subjectOf('deadline_breached'),
      stream: COMPLAINTS_STREAM,
      seq,
      msgId: poison.eventId,
    });
    expect(letter.deliveries).toBe(3);
    expect(letter.reason).toMatch(/^Error: cannot handle this event x+…$/);
    expect(Array.from(letter.reason).length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toBe(letter.reason);
    expect(letter.headers[DEAD_LETTER_HEADERS.sequence]).toBe(String(seq));
    expect(letter.event?.eventId).toBe(poison.eventId);
    expect(Buffer.from(letter.data).equals(Buffer.from(v1.EventEnvelope.encode(poison).finish()))).toBe(true);
    expect(letter.time.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(errors.some((e) => e.includes(`${name}: dead-lettered`) && e.includes('cannot handle this event'))).toBe(
      true,
    );

    // The others were handled once each, while the poison event was still waiting for its retries.
    for (const event of others) {
      expect(calls.filter((id) => id === event.complaintId)).toHaveLength(1);
      expect(calls.indexOf(event.complaintId)).toBeLessThan(calls.lastIndexOf(poison.complaintId));
    }
    expect(letters.filter((l) => others.some((e) => e.eventId === l.event?.eventId))).toEqual([]);

    // The consumer goes on, and the poison event is not delivered again.
    const later = breach(randomUUID());
    ours.add(later.complaintId);
    await bus.publish(later);
    await waitFor(() => calls.includes(later.complaintId));
    await sleep(1_200);
    expect(calls.filter((id) => id === poison.complaintId)).toHaveLength(3);
    expect(calls.filter((id) => id === later.complaintId)).toHaveLength(1);

    const info = await jsm.consumers.info(COMPLAINTS_STREAM, name);
    expect(info.config.max_deliver).toBe(3 + SERVER_MAX_DELIVER_MARGIN);
    expect(info.num_ack_pending).toBe(0);
    await running.stop();
  });

  it('bounds the redeliveries of a durable consumer declared before dead letters existed', async () => {
    const name = `test-upgrade-${randomUUID().slice(0, 8)}`;
    // As the previous version declared it: no max_deliver, so the server redelivered forever.
    await jsm.consumers.add(COMPLAINTS_STREAM, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30_000_000_000,
      filter_subjects: [subjectOf('deadline_breached')],
    });
    expect((await jsm.consumers.info(COMPLAINTS_STREAM, name)).config.max_deliver).toBe(-1);
    const running = await bus.consume({ name, types: ['deadline_breached'], maxDeliveries: 2 }, async () => undefined);
    expect((await jsm.consumers.info(COMPLAINTS_STREAM, name)).config.max_deliver).toBe(2 + SERVER_MAX_DELIVER_MARGIN);
    await running.stop();
    await expect(bus.consume({ name, types: 'all', maxDeliveries: 0 }, async () => undefined)).rejects.toThrow(
      RangeError,
    );
  });

  // Last: the garbage stays in the stream, and consumers created after it would dead-letter it too.
  it('dead-letters a message that cannot be decoded at once', async () => {
    const name = `test-undecodable-${randomUUID().slice(0, 8)}`;
    const msgId = randomUUID();
    const handled: string[] = [];
    const running = await bus.consume({ name, types: ['deadline_breached'] }, async (event) => {
      handled.push(event.complaintId);
    });
    // A length-delimited field 1 claiming 5 bytes where there is 1: no envelope decodes from that.
    const garbage = new Uint8Array([0x0a, 0x05, 0x01]);
    const { seq } = await js.publish(subjectOf('deadline_breached'), garbage, { msgID: msgId });
    const after = breach(randomUUID());
    await bus.publish(after);

    let letters: DeadLetter[] = [];
    await waitFor(async () => {
      letters = await bus.deadLetters(name);
      return letters.some((l) => l.original.seq === seq);
    }, 100);
    await waitFor(() => handled.includes(after.complaintId));
    await running.stop();
    const letter = letters.find((l) => l.original.seq === seq);
    expect(letter).toMatchObject({ consumer: name, deliveries: 1, original: { seq, msgId } });
    expect(letter?.reason).toMatch(/^undecodable message: /);
    expect(letter?.event).toBeUndefined();
    expect(Buffer.from(letter?.data ?? []).equals(Buffer.from(garbage))).toBe(true);
    // The handler never saw it, and the consumer went on with the next event.
    expect(handled).toContain(after.complaintId);
    expect(errors.some((e) => e.includes(`${name}: dead-lettered message on ${subjectOf('deadline_breached')}`))).toBe(
      true,
    );
    // Paging: nothing after the last one.
    expect(await bus.deadLetters(name, { afterSeq: letters[letters.length - 1]?.seq ?? 0 })).toEqual([]);
  });
});
