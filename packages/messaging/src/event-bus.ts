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
  type Consumer,
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
import { KeyedDispatcher } from './keyed-dispatcher';
import { ALL_EVENTS_SUBJECT, COMPLAINTS_STREAM, subjectOf, type EventType } from './subjects';

type NatsConnection = Awaited<ReturnType<typeof connect>>;

const MILLISECOND_NS = 1_000_000;
const SECOND_NS = 1_000 * MILLISECOND_NS;

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
  /**
   * Handlers running at once in this replica; default {@link DEFAULT_CONSUMER_CONCURRENCY}.
   * Events of one complaint (`complaintId`) never run side by side and run in stream order;
   * 1 handles every event one after another.
   */
  concurrency?: number;
  /**
   * How long the server waits for a delivered event to be settled before it delivers it again;
   * default 30 s. A handler that runs longer than this may see its event handled a second time
   * (by another replica, or here once it has finished). Events waiting here are kept alive.
   */
  ackWaitMs?: number;
}

/** Handlers of one durable consumer running at once in a replica, unless it says otherwise. */
export const DEFAULT_CONSUMER_CONCURRENCY = 16;

/** The server's ack wait of a durable consumer, unless it says otherwise. */
export const DEFAULT_ACK_WAIT_MS = 30_000;

/**
 * How an event reached its handler. `redelivered`: the server handed it out before (a failed or
 * unacknowledged attempt, here or in another replica), so what that attempt did may be stored
 * already. A first delivery may skip reading what it is about to write.
 */
export interface EventDelivery {
  redelivered: boolean;
}

export type EventHandler = (event: v1.EventEnvelope, delivery: EventDelivery) => Promise<void>;

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
  /**
   * Whenever a consumer's handlers in progress (`running`) or events held here waiting for
   * their turn (`waiting`: behind an earlier event of their complaint, or for a free handler)
   * change: a gauge's current value.
   */
  inFlight?(state: { consumer: string; running: number; waiting: number }): void;
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
  /**
   * Stops pulling, lets the handlers in progress finish, hands every event that has not started
   * back to the server at once (nak) so another replica takes it, then resolves. Idempotent.
   */
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
 * Events a durable consumer holds at most (running plus waiting), as a multiple of its
 * concurrency: enough that the handlers stay busy while a few complaints have several events
 * queued and the next pull is on its way, yet small, because a stopping replica hands the
 * waiting ones back and replicas share the work by what they pull. At least
 * {@link MIN_CONSUMER_IN_HAND}, the pull-ahead of the one-at-a-time consumer before.
 */
const CONSUMER_IN_HAND_PER_HANDLER = 2;
const MIN_CONSUMER_IN_HAND = 8;

/** How long a pull waits on the server for events before it is renewed. */
const PULL_EXPIRES_MS = 30_000;

/** Pause before pulling again after a pull failed (NATS unreachable, consumer deleted), doubling to 10 s. */
const PULL_RETRY_MS = 500;
const MAX_PULL_RETRY_MS = 10_000;

/**
 * A handler starting on an event that waited at least this long first tells the server it is
 * being worked on, so that the handler gets the whole ack wait.
 */
const TOUCH_BEFORE_START_MS = 1_000;

/** How many messages a replay pulls at a time (its handler is a fast projection). */
const REPLAY_BATCH = 64;

const DEFAULT_DEAD_LETTER_LIMIT = 100;
const MAX_DEAD_LETTER_LIMIT = 1_000;

/** What handling and settling one event needs to know about its consumer. */
interface ConsumerPolicy {
  name: string;
  handler: EventHandler;
  maxDeliveries: number;
  backoff: Required<RetryBackoff>;
}

/** One delivered event in this replica's hands, from its arrival until it is settled or handed back. */
interface InHand {
  message: JsMsg;
  decoded: { event: v1.EventEnvelope } | { error: unknown };
  /** When the server last heard of it (its delivery, or `working()`): its ack wait runs from then. */
  touchedAt: number;
}

/** A consumer while it runs: its pull loop, its dispatcher and what stops them. */
interface ConsumerRun {
  policy: ConsumerPolicy;
  dispatcher: KeyedDispatcher<InHand>;
  /** Events held at most; a pull asks for no more than the room left. */
  inHandLimit: number;
  /** Room needed before pulling again, so that pulls come in batches rather than one by one. */
  pullWhenRoom: number;
  stopping: boolean;
  /** Resolves when the consumer is told to stop. */
  stopRequested: Promise<void>;
  /** The pull in progress, closed on stop. */
  pull?: ConsumerMessages;
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
    private readonly defaultConcurrency: number,
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
    /** Handlers at once of a consumer that does not say (the service's CONSUMER_CONCURRENCY). */
    concurrency?: number;
    /** The service's NATS user, whose permissions say what it may publish and receive. */
    credentials?: { user: string; pass: string };
  }): Promise<EventBus> {
    const nc = await connect({
      servers: options.url.split(','),
      name: options.name,
      maxReconnectAttempts: -1,
      ...(options.credentials ?? {}),
    });
    const jsm = await jetstreamManager(nc);
    const bus = new EventBus(
      nc,
      jetstream(nc),
      jsm,
      options.logger ?? console,
      options.consumerPrefix ?? '',
      options.observer,
      options.concurrency ?? DEFAULT_CONSUMER_CONCURRENCY,
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
   * Declares (or updates) the durable consumer and handles its events, up to `concurrency` at
   * once, keyed by complaint: two events of one complaint never run side by side and run in the
   * order the stream delivered them; events of different complaints run concurrently. An event
   * without a complaint id waits for nothing but a free handler (it has no complaint whose order
   * to keep, and a shared key would put all such events in one line again).
   *
   * Each event is acked after the handler succeeds; when it throws, redelivered after a delay
   * that doubles each time (`retryBackoff`), and on the `maxDeliveries`-th failed delivery
   * published to `deadletters.v1.<name>` and terminated. An event that cannot be decoded is
   * dead-lettered at once. Replicas consuming the same name share the events, each going to
   * one of them. The order of one complaint's events holds within a replica: the server hands
   * events to whichever replica pulls, so two replicas may each run an event of one complaint.
   *
   * Backpressure: at most `2 × concurrency` events (at least 8) are in this replica's hands,
   * running or waiting; a pull asks the server for no more than the room left, and none is made
   * while full. An event waiting here (behind an earlier event of its complaint, or for a free
   * handler) is kept alive with `working()` every third of the ack wait, so the server does not
   * deliver it again however long it waits; a handler starting on it renews its ack wait first.
   * A running handler is not kept alive: one that overruns the ack wait gets its event
   * redelivered, as before (to this replica it queues behind the running one).
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
    const concurrency = consumer.concurrency ?? this.defaultConcurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`${name}: concurrency must be a whole number of at least 1, not ${concurrency}`);
    }
    const ackWaitMs = consumer.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    if (!Number.isFinite(ackWaitMs) || ackWaitMs < 1_000) {
      throw new RangeError(`${name}: ackWaitMs must be at least 1000, not ${ackWaitMs}`);
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
      ack_wait: Math.round(ackWaitMs * MILLISECOND_NS),
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
    const source = await this.js.consumers.get(COMPLAINTS_STREAM, name);

    const policy: ConsumerPolicy = { name, handler, maxDeliveries, backoff };
    const dispatcher = new KeyedDispatcher<InHand>(
      concurrency,
      (item) => this.handle(policy, item),
      (error) => this.logger.error(`${name}: ${describe(error)}`, error instanceof Error ? error.stack : undefined),
      this.observer?.inFlight
        ? (running, waiting) => this.observer?.inFlight?.({ consumer: name, running, waiting })
        : undefined,
    );
    let requestStop: () => void = () => undefined;
    const inHandLimit = Math.max(MIN_CONSUMER_IN_HAND, CONSUMER_IN_HAND_PER_HANDLER * concurrency);
    const run: ConsumerRun = {
      policy,
      dispatcher,
      inHandLimit,
      pullWhenRoom: Math.max(1, Math.floor(inHandLimit / 4)),
      stopping: false,
      stopRequested: new Promise<void>((resolve) => (requestStop = resolve)),
    };
    // Every third of the ack wait, checked six times per ack wait: an event waiting here is never
    // left more than half its ack wait without word to the server.
    const keepAlive = setInterval(() => this.keepAlive(run, ackWaitMs / 3), ackWaitMs / 6);
    keepAlive.unref();
    const pulling = this.pullLoop(run, source);
    this.consumerNames.push(name);
    let stopped: Promise<void> | undefined;
    const running: RunningConsumer = {
      stop: () => {
        stopped ??= (async () => {
          run.stopping = true;
          requestStop();
          await run.pull?.close();
          // Not started: handed back at once so that another replica (or this one after a
          // restart) takes it without waiting out the ack wait. Events queued behind a running
          // event of their complaint go back once it is settled, so they reach the next replica
          // after it, in order.
          dispatcher.stop((item) => item.message.nak());
          await pulling;
          await dispatcher.idle();
          clearInterval(keepAlive);
        })();
        return stopped;
      },
    };
    this.consumers.push(running);
    return running;
  }

  /**
   * Pulls events while there is room for them and hands each to the dispatcher. A pull (a fetch)
   * asks for exactly the room left, so everything the server sent is in the dispatcher's hands,
   * where it is kept alive; none waits unseen in a client buffer while its ack wait runs out.
   * (After a reconnect the client renews an unfinished pull for its whole batch, so the bound
   * may be passed by up to one batch then.)
   */
  private async pullLoop(run: ConsumerRun, source: Consumer): Promise<void> {
    const { policy, dispatcher } = run;
    let failures = 0;
    while (!run.stopping) {
      const room = run.inHandLimit - dispatcher.inHand;
      if (room < run.pullWhenRoom) {
        await Promise.race([dispatcher.nextChange(), run.stopRequested]);
        continue;
      }
      try {
        const pull = await source.fetch({ max_messages: room, expires: PULL_EXPIRES_MS });
        run.pull = pull;
        if (run.stopping) await pull.close();
        for await (const message of pull) this.take(run, message);
        failures = 0;
      } catch (error) {
        if (run.stopping || this.nc.isClosed()) break;
        failures += 1;
        const delay = Math.min(PULL_RETRY_MS * 2 ** Math.min(failures - 1, 10), MAX_PULL_RETRY_MS);
        this.logger.error(`${policy.name}: pull failed, pulling again in ${delay} ms: ${describe(error)}`);
        await Promise.race([unrefSleep(delay), run.stopRequested]);
      } finally {
        run.pull = undefined;
      }
    }
  }

  /** A delivered message: decoded and queued by complaint, or handed back when stopping. */
  private take(run: ConsumerRun, message: JsMsg): void {
    if (run.stopping) {
      message.nak();
      return;
    }
    let decoded: InHand['decoded'];
    try {
      decoded = { event: v1.EventEnvelope.decode(message.data) };
    } catch (error) {
      decoded = { error };
    }
    const key = 'event' in decoded && decoded.event.complaintId ? decoded.event.complaintId : undefined;
    run.dispatcher.push(key, { message, decoded, touchedAt: Date.now() });
  }

  /** Tells the server that the events waiting here are not lost, before their ack wait runs out. */
  private keepAlive(run: ConsumerRun, everyMs: number): void {
    const now = Date.now();
    for (const item of run.dispatcher.waiting()) {
      if (now - item.touchedAt < everyMs) continue;
      item.message.working();
      item.touchedAt = now;
    }
  }

  private async handle(policy: ConsumerPolicy, item: InHand): Promise<void> {
    try {
      if (Date.now() - item.touchedAt >= TOUCH_BEFORE_START_MS) item.message.working();
      await this.process(policy, item);
    } catch (error) {
      // Only acking can get here (the connection closing under it); the server redelivers
      // an unacknowledged message after the ack wait, so go on with the next one.
      this.logger.error(
        `${policy.name}: could not settle seq ${item.message.seq}: ${describe(error)}`,
        error instanceof Error ? error.stack : undefined,
      );
    }
  }

  /**
   * Handles one message in a span continuing the publisher's trace: ack, nak with a delay, or
   * dead-letter and term.
   */
  private async process(policy: ConsumerPolicy, item: InHand): Promise<void> {
    const { message } = item;
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
          const outcome = await this.settle(policy, item, span.setAttribute.bind(span));
          if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        } finally {
          span.end();
        }
      },
    );
  }

  private async settle(
    policy: ConsumerPolicy,
    { message, decoded }: InHand,
    annotate: (key: string, value: string) => void,
  ): Promise<ConsumeOutcome> {
    const { name, handler, maxDeliveries, backoff } = policy;
    if ('error' in decoded) {
      // A message that cannot be decoded never will be: no point in retrying it.
      const outcome = await this.deadLetter(policy, message, `undecodable message: ${describe(decoded.error)}`);
      this.settled(policy, message, 'undecodable', outcome);
      return outcome;
    }
    const { event } = decoded;
    annotate('complaints.complaint_id', event.complaintId);
    annotate('complaints.event_type', event.type);
    try {
      await context.with(context.active().setValue(COMPLAINT_ID_CONTEXT_KEY, event.complaintId), () =>
        handler(event, { redelivered: message.info.deliveryCount > 1 }),
      );
      message.ack();
      this.settled(policy, message, event.type, 'ok');
      return 'ok';
    } catch (error) {
      const delivery = message.info.deliveryCount;
      const stack = error instanceof Error ? error.stack : undefined;
      if (delivery < maxDeliveries) {
        // A retry does not hold up the complaint: its later events (here, or delivered meanwhile)
        // go ahead while this one waits out its delay on the server, so it is handled after
        // them, as it was when consumers handled one event at a time. Handlers must not count
        // on a failed event coming back before the next one of its complaint. Holding the later
        // events back instead would keep them here for the whole backoff (up to a minute) and
        // stall the complaint on one poison event until it is dead-lettered.
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

  /** Stops every consumer, each finishing the events in progress; publishing still works. */
  async stopConsuming(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    this.consumerNames.splice(0);
  }

  /** Stops every consumer (finishing the events in progress), then drains the connection. */
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

/** A pause that does not keep the process alive on its own. */
function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
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
