import { connect } from '@nats-io/transport-node';
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
} from '@nats-io/jetstream';
import { v1 } from '@complaints/contracts';
import { ALL_EVENTS_SUBJECT, COMPLAINTS_STREAM, subjectOf, type EventType } from './subjects';

type NatsConnection = Awaited<ReturnType<typeof connect>>;

const SECOND_NS = 1_000_000_000;

/** A durable consumer, declared by the service that owns it (never by hand on the server). */
export interface DurableConsumer {
  /** Durable name; one per service and purpose, e.g. `routing`. */
  name: string;
  /** The event types it receives; `all` for every subject of the stream. */
  types: readonly EventType[] | 'all';
}

export type EventHandler = (event: v1.EventEnvelope) => Promise<void>;

export interface Logger {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

export interface RunningConsumer {
  /** Stops pulling, lets the message in hand finish, then resolves. */
  stop(): Promise<void>;
}

/** How long a failed event waits before it is redelivered. */
const RETRY_DELAY_MS = 2_000;

/** How long a publish waits for JetStream's acknowledgement. */
const PUBLISH_TIMEOUT_MS = 2_000;

/**
 * Publishes and consumes complaint events on NATS JetStream. Delivery is at least once;
 * every handler must be idempotent by event id (publishers set `Nats-Msg-Id` to it, so a
 * re-publish inside the duplicate window is dropped by the server).
 */
export class EventBus {
  private readonly consumers: RunningConsumer[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly logger: Logger,
    private readonly consumerPrefix: string,
  ) {}

  /**
   * `consumerPrefix` goes before every durable consumer name: two deployments (or two test
   * runs) sharing one NATS each get every event instead of splitting them.
   */
  static async connect(options: {
    url: string;
    name: string;
    logger?: Logger;
    consumerPrefix?: string;
  }): Promise<EventBus> {
    const nc = await connect({ servers: options.url.split(','), name: options.name, maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    const bus = new EventBus(nc, jetstream(nc), jsm, options.logger ?? console, options.consumerPrefix ?? '');
    await bus.ensureStream();
    return bus;
  }

  /** Declares the stream in code; idempotent, and updates a stream that drifted. */
  async ensureStream(): Promise<void> {
    const config = {
      name: COMPLAINTS_STREAM,
      subjects: [ALL_EVENTS_SUBJECT],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      // Kept forever: read models are rebuilt from the stream from scratch.
      max_age: 0,
      duplicate_window: 120 * SECOND_NS,
    };
    try {
      await this.jsm.streams.info(COMPLAINTS_STREAM);
      await this.jsm.streams.update(COMPLAINTS_STREAM, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.streams.add(config);
    }
  }

  async publish(event: v1.EventEnvelope): Promise<{ duplicate: boolean; seq: number }> {
    const ack = await this.js.publish(subjectOf(event.type as EventType), v1.EventEnvelope.encode(event).finish(), {
      msgID: event.eventId,
      // Callers that stored the event first (outbox) fall back to their relay rather than wait long.
      timeout: PUBLISH_TIMEOUT_MS,
    });
    return { duplicate: ack.duplicate, seq: ack.seq };
  }

  /**
   * Declares (or updates) the durable consumer and processes its events one at a time:
   * acked after the handler succeeds, redelivered after a delay when it throws.
   */
  async consume(consumer: DurableConsumer, handler: EventHandler): Promise<RunningConsumer> {
    const name = `${this.consumerPrefix}${consumer.name}`;
    const filterSubjects =
      consumer.types === 'all' ? [ALL_EVENTS_SUBJECT] : consumer.types.map((type) => subjectOf(type));
    const config = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * SECOND_NS,
      filter_subjects: filterSubjects,
    };
    try {
      await this.jsm.consumers.info(COMPLAINTS_STREAM, name);
      await this.jsm.consumers.update(COMPLAINTS_STREAM, name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.consumers.add(COMPLAINTS_STREAM, config);
    }
    const messages = await (await this.js.consumers.get(COMPLAINTS_STREAM, name)).consume({ max_messages: 64 });
    const done = this.run(name, messages, handler);
    const running: RunningConsumer = {
      stop: async () => {
        await messages.close();
        await done;
      },
    };
    this.consumers.push(running);
    return running;
  }

  private async run(name: string, messages: ConsumerMessages, handler: EventHandler): Promise<void> {
    for await (const message of messages) {
      let event: v1.EventEnvelope;
      try {
        event = v1.EventEnvelope.decode(message.data);
      } catch (error) {
        // A message that cannot be decoded never will be: drop it loudly rather than loop.
        this.logger.error(`${name}: undecodable message on ${message.subject} (seq ${message.seq}): ${String(error)}`);
        message.term();
        continue;
      }
      try {
        await handler(event);
        message.ack();
      } catch (error) {
        this.logger.error(
          `${name}: ${event.type} ${event.eventId} failed (delivery ${message.info.deliveryCount}), retrying: ${String(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
        message.nak(RETRY_DELAY_MS);
      }
    }
  }

  /** Stops every consumer (finishing the event in hand), then drains the connection. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  /** For readiness probes. */
  isConnected(): boolean {
    return !this.nc.isClosed();
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.status === 404;
}
