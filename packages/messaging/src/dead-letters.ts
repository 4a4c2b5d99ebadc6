import type { v1 } from '@complaints/contracts';

/**
 * Events a durable consumer gave up on: after `maxDeliveries` failed deliveries, or at once
 * when they cannot be decoded. Kept (like the complaint stream) until an operator deals with them.
 */
export const DEAD_LETTERS_STREAM = 'DEAD_LETTERS';

/** Versioned like the event subjects: `deadletters.v1.<durable consumer name>`. */
export const DEAD_LETTER_SUBJECT_PREFIX = 'deadletters.v1';

export const ALL_DEAD_LETTERS_SUBJECT = `${DEAD_LETTER_SUBJECT_PREFIX}.>`;

/** The subject a durable consumer (its full name, prefix included) dead-letters to. */
export function deadLetterSubject(durableName: string): string {
  return `${DEAD_LETTER_SUBJECT_PREFIX}.${durableName}`;
}

/** Headers of a dead letter; its payload is the original message's bytes, unchanged. */
export const DEAD_LETTER_HEADERS = {
  /** Subject the event was published on, e.g. `complaints.v1.registered`. */
  subject: 'Dead-Letter-Subject',
  /** Stream the event is stored in (`COMPLAINTS`). */
  stream: 'Dead-Letter-Stream',
  /** The event's sequence in that stream. */
  sequence: 'Dead-Letter-Sequence',
  /** Deliveries to the consumer, the last (failed) one included. */
  deliveries: 'Dead-Letter-Deliveries',
  /** The durable consumer that gave up (prefix included). */
  consumer: 'Dead-Letter-Consumer',
  /** The last error, on one line and at most {@link MAX_REASON_LENGTH} characters. */
  reason: 'Dead-Letter-Reason',
  /** The original `Nats-Msg-Id` (the event id), when it had one. */
  msgId: 'Dead-Letter-Msg-Id',
} as const;

export const MAX_REASON_LENGTH = 512;

/** Deliveries (first one included) before a failing event is dead-lettered, unless the consumer says otherwise. */
export const DEFAULT_MAX_DELIVERIES = 5;

/**
 * The server's own `max_deliver` is the consumer's `maxDeliveries` plus this margin: the code
 * dead-letters on delivery `maxDeliveries`, and the server stops redelivering only if the code
 * never got to (a crash, or a message whose ack wait expired while waiting in the client's buffer).
 */
export const SERVER_MAX_DELIVER_MARGIN = 3;

export interface RetryBackoff {
  /** Delay before the second delivery; doubled for each further one. Default 2 s. */
  initialMs?: number;
  /** Cap of the delay. Default 60 s. */
  maxMs?: number;
}

export const DEFAULT_RETRY_BACKOFF: Required<RetryBackoff> = { initialMs: 2_000, maxMs: 60_000 };

/** The delay before redelivering an event whose `deliveryCount`-th delivery failed (1 → `initialMs`). */
export function retryDelayMs(deliveryCount: number, backoff: RetryBackoff = {}): number {
  const initialMs = backoff.initialMs ?? DEFAULT_RETRY_BACKOFF.initialMs;
  const maxMs = backoff.maxMs ?? DEFAULT_RETRY_BACKOFF.maxMs;
  const exponent = Math.min(Math.max(deliveryCount, 1) - 1, 30);
  return Math.max(0, Math.min(initialMs * 2 ** exponent, maxMs));
}

/**
 * Makes text safe as a NATS header value (or a `+TERM` reason): control characters, CR and LF
 * become spaces, runs of white space collapse, and it is cut to `maxLength` characters (code
 * points, so no surrogate pair is split), ending in `…` when cut.
 */
export function headerValue(text: string, maxLength = MAX_REASON_LENGTH): string {
  const oneLine = text
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(oneLine);
  if (chars.length <= maxLength) return oneLine;
  return `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…`;
}

/** A stored dead letter, as {@link EventBus.deadLetters} returns it. */
export interface DeadLetter {
  /** Sequence in the `DEAD_LETTERS` stream; pass it as `afterSeq` to read the next page. */
  seq: number;
  /** When it was dead-lettered. */
  time: Date;
  consumer: string;
  /** Where the event came from. */
  original: { subject: string; stream: string; seq: number; msgId?: string };
  deliveries: number;
  reason: string;
  /** The event, when the bytes decode as an envelope. */
  event?: v1.EventEnvelope;
  /** The original bytes, unchanged. */
  data: Uint8Array;
  /** Every header of the dead letter. */
  headers: Record<string, string>;
}
