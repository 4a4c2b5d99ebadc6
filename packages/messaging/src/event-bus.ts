import { connect, headers, type MsgHdrs } from '@nats-io/transport-node';
import {
  context,
  createContextKey,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { v1 } from '@complaints/contracts';
import {
  ALL_DEAD_LETTERS_SUBJECT,
  DEAD_LETTER_HEADERS,
  DEAD_LETTERS_STREAM,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_RETRY_BACKOFF,
  SERVER_MAX_DELIVER_MARGIN,
  deadLetterSubject,
  headerValue,
  retryDelayMs,
  type DeadLetter,
  type RetryBackoff,
} from './dead-letters';
import { ALL_EVENTS_SUBJECT, COMPLAINTS_STREAM, subjectOf, type EventType } from './subjects';

type NatsConnection = Awaited<ReturnType<typeof connect>>;

const SECOND_NS = 1_000_000_000;

/** A durable consumer, declared by the service that owns it (never by hand on the server). */
export interface DurableConsumer {
  /**
   * Durable name; one per service and purpose, e.g. `routing`. Every replica of a service
   * uses the same name, and they share the work: each event goes to one of them.
   */
  name: string;
  /** The event types it receives; `all` for every subject of the stream. */
  types: readonly EventType[] | 'all';
  /**
   * Deliveries (the first included) an event gets before it is dead-lettered to
   * `deadletters.v1.<name>`; default {@link DEFAULT_MAX_DELIVERIES}, at least 1.
   */
  maxDeliveries?: number;
  /** Redelivery delay after a failure, doubling per delivery; default 2 s, capped at 60 s. */
  retryBackoff?: RetryBackoff;
}

export type EventHandler = (event: v1.EventEnvelope) => Promise<void>;

export interface Logger {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

/** What became of one delivery of an event: handled, to be retried, or given up on. */
export type ConsumeOutcome = 'ok' | 'retry' | 'dead';

/** Told of every delivery a consumer settles: where the service counts them (metrics). */
export interface ConsumerObserver {
  settled(delivery: { consumer: string; type: string; outcome: ConsumeOutcome; deliveryCount: number }): void;
  /** An event the stream acknowledged (a duplicate the server dropped included: it cost the round trip). */
  published?(event: { type: string }): void;
}

/** How far behind a durable consumer of this bus is. */
export interface ConsumerLag {
  consumer: string;
  /** In the stream, not yet delivered. */
  pending: number;
  /** Delivered, not yet acknowledged. */
  ackPending: number;
}

/**
 * The complaint whose event is being handled, in the OpenTelemetry context of its handler:
 * log lines written meanwhile carry its id without every caller passing it along.
 */
export const COMPLAINT_ID_CONTEXT_KEY = createContextKey('complaints.complaint_id');

const tracer = trace.getTracer('@complaints/messaging');

// The trace context travels in the NATS message headers (W3C traceparent / tracestate).
const headerSetter: TextMapSetter<MsgHdrs> = { set: (carrier, key, value) => carrier.set(key, value) };
const headerGetter: TextMapGetter<MsgHdrs | undefined> = {
  get: (carrier, key) => carrier?.get(key) || undefined,
  keys: (carrier) => carrier?.keys() ?? [],
};

export interface RunningConsumer {
  /** Stops pulling, lets the message in hand finish, hands the rest back, then resolves. */
  stop(): Promise<void>;
}

export interface DeadLetterQuery {
  /** At most this many, oldest first; default 100, at most 1000. */
  limit?: number;
  /** Only those stored after this `DEAD_LETTERS` sequence (the `seq` of the last one read). */
  afterSeq?: number;
}

/** How long a publish waits for JetStream's acknowledgement. */
const PUBLISH_TIMEOUT_MS = 2_000;

/**
 * How many messages a durable consumer pulls ahead of its handler. Small, because a pulled
 * message's ack wait (30 s) runs while it waits in the buffer: with a slow handler a large
 * batch would be redelivered before it is reached, and a stopping replica hands the buffer back.
 */
const CONSUMER_PULL_AHEAD = 8;

/** How many messages a replay pulls at a time (its handler is a fast projection). */
const REPLAY_BATCH = 64;

const DEFAULT_DEAD_LETTER_LIMIT = 100;
const MAX_DEAD_LETTER_LIMIT = 1_000;

/** What `run` needs to know about one consumer. */
interface ConsumerPolicy {
  name: string;
  handler: EventHandler;
  maxDeliveries: number;
  backoff: Required<RetryBackoff>;
  /** Set when the consumer is told to stop: what is still buffered goes back to the server. */
  stopping: { value: boolean };
}

/**
 * Publishes and consumes complaint events on NATS JetStream. Delivery is at least once;
 * every handler must be idempotent by event id (publishers set `Nats-Msg-Id` to it, so a
 * re-publish inside the duplicate window is dropped by the server).
 *
 * Retries are bounded: an event whose handler keeps failing is redelivered with a growing
 * delay, and after `maxDeliveries` deliveries it is copied to the `DEAD_LETTERS` stream
 * (`deadletters.v1.<consumer>`, with the reason in its headers) and terminated, so one poison
 * event never holds up a consumer forever. {@link EventBus.deadLetters} reads them back.
 */
export class EventBus {
  private readonly consumers: RunningConsumer[] = [];
  private readonly consumerNames: string[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly logger: Logger,
    private readonly consumerPrefix: string,
    private readonly observer: ConsumerObserver | undefined,
  ) {}

  /**
   * `consumerPrefix` goes before every durable consumer name (and so into its dead-letter
   * subject): two deployments (or two test runs) sharing one NATS each get every event
   * instead of splitting them.
   */
  static async connect(options: {
    url: string;
    name: string;
    logger?: Logger;
    consumerPrefix?: string;
    observer?: ConsumerObserver;
  }): Promise<EventBus> {
    const nc = await connect({ servers: options.url.split(','), name: options.name, maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    const bus = new EventBus(
      nc,
      jetstream(nc),
      jsm,
      options.logger ?? console,
      options.consumerPrefix ?? '',
      options.observer,
    );
    await bus.ensureStream();
    return bus;
  }

  /**
   * Declares the streams in code (the complaint events and their dead letters); idempotent,
   * and updates a stream that drifted.
   */
  async ensureStream(): Promise<void> {
    await this.declareStream({
      name: COMPLAINTS_STREAM,
      subjects: [ALL_EVENTS_SUBJECT],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      // Kept forever: read models are rebuilt from the stream from scratch.
      max_age: 0,
      duplicate_window: 120 * SECOND_NS,
    });
    await this.declareStream({
      name: DEAD_LETTERS_STREAM,
      description: 'Complaint events a durable consumer gave up on; subject deadletters.v1.<consumer>.',
      subjects: [ALL_DEAD_LETTERS_SUBJECT],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      // Kept until an operator has dealt with them.
      max_age: 0,
      // A dead letter's msg id is `<consumer>:<stream>:<seq>`: dead-lettering the same event
      // twice (a crash between publishing it and terminating the original) stores it once.
      duplicate_window: 120 * SECOND_NS,
    });
  }

  private async declareStream(config: Partial<StreamConfig> & { name: string }): Promise<void> {
    try {
      await this.jsm.streams.info(config.name);
      await this.jsm.streams.update(config.name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.streams.add(config);
    }
  }

  /** Publishes with the caller's trace context in the headers, so consumers continue its trace. */
  async publish(event: v1.EventEnvelope): Promise<{ duplicate: boolean; seq: number }> {
    const h = headers();
    propagation.inject(context.active(), h, headerSetter);
    const ack = await this.js.publish(subjectOf(event.type as EventType), v1.EventEnvelope.encode(event).finish(), {
      headers: h,
      msgID: event.eventId,
      // Callers that stored the event first (outbox) fall back to their relay rather than wait long.
      timeout: PUBLISH_TIMEOUT_MS,
    });
    this.observer?.published?.({ type: event.type });
    return { duplicate: ack.duplicate, seq: ack.seq };
  }

  /**
   * Declares (or updates) the durable consumer and processes its events one at a time:
   * acked after the handler succeeds; when it throws, redelivered after a delay that doubles
   * each time (`retryBackoff`), and on the `maxDeliveries`-th failed delivery published to
   * `deadletters.v1.<name>` and terminated. An event that cannot be decoded is dead-lettered
   * at once. Replicas consuming the same name share the events, each going to one of them.
   *
   * The server's `max_deliver` is set a little above `maxDeliveries` so that the dead-lettering
   * here is what ends the retries; the server's limit is only a backstop.
   */
  async consume(consumer: DurableConsumer, handler: EventHandler): Promise<RunningConsumer> {
    const name = `${this.consumerPrefix}${consumer.name}`;
    const maxDeliveries = consumer.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) {
      throw new RangeError(`${name}: maxDeliveries must be a whole number of at least 1, not ${maxDeliveries}`);
    }
    const backoff = { ...DEFAULT_RETRY_BACKOFF, ...definedOnly(consumer.retryBackoff ?? {}) };
    if (![backoff.initialMs, backoff.maxMs].every((ms) => Number.isFinite(ms) && ms >= 0)) {
      throw new RangeError(`${name}: retryBackoff must be finite and not negative`);
    }
    const filterSubjects =
      consumer.types === 'all' ? [ALL_EVENTS_SUBJECT] : consumer.types.map((type) => subjectOf(type));
    const config = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * SECOND_NS,
      max_deliver: maxDeliveries + SERVER_MAX_DELIVER_MARGIN,
      filter_subjects: filterSubjects,
    };
    try {
      await this.jsm.consumers.info(COMPLAINTS_STREAM, name);
      await this.jsm.consumers.update(COMPLAINTS_STREAM, name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.consumers.add(COMPLAINTS_STREAM, config);
    }
    const messages = await (
      await this.js.consumers.get(COMPLAINTS_STREAM, name)
    ).consume({
      max_messages: CONSUMER_PULL_AHEAD,
    });
    const stopping = { value: false };
    const done = this.run({ name, handler, maxDeliveries, backoff, stopping }, messages);
    this.consumerNames.push(name);
    const running: RunningConsumer = {
      stop: async () => {
        stopping.value = true;
        await messages.close();
        await done;
      },
    };
    this.consumers.push(running);
    return running;
  }

  private async run(policy: ConsumerPolicy, messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) {
      if (policy.stopping.value) {
        // Not started: handed back at once so that another replica (or this one after a
        // restart) takes it without waiting out the ack wait.
        message.nak();
        continue;
      }
      try {
        await this.process(policy, message);
      } catch (error) {
        // Only acking can get here (the connection closing under it); the server redelivers
        // an unacknowledged message after the ack wait, so go on with the next one.
        this.logger.error(
          `${policy.name}: could not settle seq ${message.seq}: ${describe(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
      }
    }
  }

  /**
   * Handles one message in a span continuing the publisher's trace: ack, nak with a delay, or
   * dead-letter and term.
   */
  private async process(policy: ConsumerPolicy, message: JsMsg): Promise<void> {
    const parent = propagation.extract(context.active(), message.headers, headerGetter);
    await tracer.startActiveSpan(
      `${message.subject} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': message.subject,
          'messaging.consumer.group.name': policy.name,
          'messaging.message.delivery_count': message.info.deliveryCount,
        },
      },
      parent,
      async (span) => {
        try {
          const outcome = await this.settle(policy, message, span.setAttribute.bind(span));
          if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        } finally {
          span.end();
        }
      },
    );
  }

  private async settle(
    policy: ConsumerPolicy,
    message: JsMsg,
    annotate: (key: string, value: string) => void,
  ): Promise<ConsumeOutcome> {
    const { name, handler, maxDeliveries, backoff } = policy;
    let event: v1.EventEnvelope;
    try {
      event = v1.EventEnvelope.decode(message.data);
    } catch (error) {
      // A message that cannot be decoded never will be: no point in retrying it.
      const outcome = await this.deadLetter(policy, message, `undecodable message: ${describe(error)}`);
      this.settled(policy, message, 'undecodable', outcome);
      return outcome;
    }
    annotate('complaints.complaint_id', event.complaintId);
    annotate('complaints.event_type', event.type);
    try {
      await context.with(context.active().setValue(COMPLAINT_ID_CONTEXT_KEY, event.complaintId), () => handler(event));
      message.ack();
      this.settled(policy, message, event.type, 'ok');
      return 'ok';
    } catch (error) {
      const delivery = message.info.deliveryCount;
      const stack = error instanceof Error ? error.stack : undefined;
      if (delivery < maxDeliveries) {
        const delay = retryDelayMs(delivery, backoff);
        this.logger.error(
          `${name}: ${event.type} ${event.eventId} failed (delivery ${delivery} of ${maxDeliveries}), ` +
            `retrying in ${delay} ms: ${describe(error)}`,
          stack,
        );
        message.nak(delay);
        this.settled(policy, message, event.type, 'retry');
        return 'retry';
      }
      this.logger.error(
        `${name}: ${event.type} ${event.eventId} failed (delivery ${delivery} of ${maxDeliveries}), giving up: ${describe(error)}`,
        stack,
      );
      const outcome = await this.deadLetter(policy, message, describe(error), event);
      this.settled(policy, message, event.type, outcome);
      return outcome;
    }
  }

  private settled(policy: ConsumerPolicy, message: JsMsg, type: string, outcome: ConsumeOutcome): void {
    this.observer?.settled({ consumer: policy.name, type, outcome, deliveryCount: message.info.deliveryCount });
  }

  /**
   * Copies the message to `deadletters.v1.<consumer>` and terminates it. If the copy cannot be
   * stored (NATS trouble), the message is redelivered later instead, so it is never dropped unseen.
   */
  private async deadLetter(
    policy: ConsumerPolicy,
    message: JsMsg,
    reason: string,
    event?: v1.EventEnvelope,
  ): Promise<ConsumeOutcome> {
    const subject = deadLetterSubject(policy.name);
    const delivery = message.info.deliveryCount;
    const oneLineReason = headerValue(reason);
    const what = event ? `${event.type} ${event.eventId}` : `message on ${message.subject}`;
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.subject, message.subject);
    h.set(DEAD_LETTER_HEADERS.stream, message.info.stream);
    h.set(DEAD_LETTER_HEADERS.sequence, String(message.seq));
    h.set(DEAD_LETTER_HEADERS.deliveries, String(delivery));
    h.set(DEAD_LETTER_HEADERS.consumer, policy.name);
    h.set(DEAD_LETTER_HEADERS.reason, oneLineReason);
    const msgId = message.headers?.get('Nats-Msg-Id');
    if (msgId) h.set(DEAD_LETTER_HEADERS.msgId, headerValue(msgId));
    try {
      await this.js.publish(subject, message.data, {
        headers: h,
        msgID: `${policy.name}:${message.info.stream}:${message.seq}`,
        timeout: PUBLISH_TIMEOUT_MS,
      });
    } catch (error) {
      const delay = retryDelayMs(delivery, policy.backoff);
      this.logger.error(
        `${policy.name}: could not dead-letter ${what} (seq ${message.seq}), retrying in ${delay} ms: ${describe(error)}`,
      );
      message.nak(delay);
      return 'retry';
    }
    // The reason also goes into the server's MSG_TERMINATED advisory (servers 2.11 and later).
    if (this.serverAtLeast(2, 11)) message.term(headerValue(reason, 200));
    else message.term();
    this.logger.error(
      `${policy.name}: dead-lettered ${what} (seq ${message.seq}, delivery ${delivery}) to ${subject}: ${oneLineReason}`,
    );
    return 'dead';
  }

  /**
   * The dead letters of a durable consumer (its name as given to {@link consume}; the bus's
   * `consumerPrefix` is added), oldest first. Read through a short-lived ordered consumer on the
   * `DEAD_LETTERS` stream, so it sees everything stored so far and leaves nothing behind.
   */
  async deadLetters(consumerName: string, query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_DEAD_LETTER_LIMIT), 1), MAX_DEAD_LETTER_LIMIT);
    const consumer = await this.js.consumers.get(DEAD_LETTERS_STREAM, {
      filter_subjects: deadLetterSubject(`${this.consumerPrefix}${consumerName}`),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(0, Math.trunc(query.afterSeq ?? 0)) + 1,
      // Cleaned up by the server should the delete below not get through.
      inactive_threshold: 30_000,
    });
    try {
      const wanted = Math.min(limit, (await consumer.info(true)).num_pending);
      const found: DeadLetter[] = [];
      if (wanted === 0) return found;
      for await (const message of await consumer.fetch({ max_messages: wanted, expires: 5_000 })) {
        found.push(toDeadLetter(message));
        if (found.length >= wanted) break;
      }
      return found;
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  /**
   * Reads every event stored in the stream when it is called, oldest first, through a
   * short-lived ordered consumer that leaves nothing behind: how read models are rebuilt from
   * scratch. Events published meanwhile are left to the durable consumers. A message that
   * cannot be decoded is counted and skipped.
   */
  async replay(handler: (event: v1.EventEnvelope) => Promise<void>): Promise<{ read: number; undecodable: number }> {
    const lastSeq = (await this.jsm.streams.info(COMPLAINTS_STREAM)).state.last_seq;
    let read = 0;
    let undecodable = 0;
    if (lastSeq === 0) return { read, undecodable };
    const consumer = await this.js.consumers.get(COMPLAINTS_STREAM, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume({ max_messages: REPLAY_BATCH });
    try {
      for await (const message of messages) {
        read += 1;
        let event: v1.EventEnvelope | undefined;
        try {
          event = v1.EventEnvelope.decode(message.data);
        } catch {
          undecodable += 1;
        }
        if (event) await handler(event);
        if (message.info.streamSequence >= lastSeq) break;
      }
    } finally {
      await messages.close();
    }
    return { read, undecodable };
  }

  /** Stops every consumer, each finishing the event in hand; publishing still works. */
  async stopConsuming(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    this.consumerNames.splice(0);
  }

  /** Stops every consumer (finishing the event in hand), then drains the connection. */
  async close(): Promise<void> {
    await this.stopConsuming();
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  /** Lag of each durable consumer this bus runs, read from the server (for metrics). */
  async lag(): Promise<ConsumerLag[]> {
    return Promise.all(
      this.consumerNames.map(async (consumer) => {
        const info = await this.jsm.consumers.info(COMPLAINTS_STREAM, consumer);
        return { consumer, pending: info.num_pending, ackPending: info.num_ack_pending };
      }),
    );
  }

  /** For readiness probes. */
  isConnected(): boolean {
    return !this.nc.isClosed();
  }

  private serverAtLeast(major: number, minor: number): boolean {
    const [serverMajor = 0, serverMinor = 0] = (this.nc.info?.version ?? '0.0.0').split('.').map(Number);
    return serverMajor > major || (serverMajor === major && serverMinor >= minor);
  }
}

function toDeadLetter(message: JsMsg): DeadLetter {
  const all: Record<string, string> = {};
  for (const key of message.headers?.keys() ?? []) all[key] = message.headers?.get(key) ?? '';
  let event: v1.EventEnvelope | undefined;
  try {
    event = v1.EventEnvelope.decode(message.data);
  } catch {
    event = undefined;
  }
  const msgId = all[DEAD_LETTER_HEADERS.msgId];
  return {
    seq: message.seq,
    time: message.time,
    consumer: all[DEAD_LETTER_HEADERS.consumer] ?? '',
    original: {
      subject: all[DEAD_LETTER_HEADERS.subject] ?? '',
      stream: all[DEAD_LETTER_HEADERS.stream] ?? '',
      seq: Number(all[DEAD_LETTER_HEADERS.sequence] ?? 0),
      ...(msgId ? { msgId } : {}),
    },
    deliveries: Number(all[DEAD_LETTER_HEADERS.deliveries] ?? 0),
    reason: all[DEAD_LETTER_HEADERS.reason] ?? '',
    ...(event ? { event } : {}),
    data: message.data,
    headers: all,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.status === 404;
}
