import { fetch } from 'undici';
import { isRefusedAddress, PUBLIC_ONLY, type OutboundGuard } from '../outbound-guard';
import { reasonOf } from '../provider-answers';
import type { ChannelSender, OutgoingMessage, SendResult } from '../channel';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature';

export interface WebhookSenderConfig {
  /** The subscription's signing secret. */
  secret: string;
  /** Defaults to 10 seconds, for the answer and its body together. */
  timeoutMs?: number;
  /** Milliseconds since the epoch, for the signed timestamp. */
  now?: () => number;
  /** Which addresses may be reached; by default public ones only. */
  guard?: OutboundGuard;
}

/** How much of the receiver's answer is kept: enough to see what went wrong, not a whole error page. */
const RESPONSE_EXCERPT_CHARS = 500;

/**
 * Posts events to one webhook subscription: built per subscription, because the secret is the
 * subscription's. `message.to` is the URL, `message.body` the event envelope and
 * `message.templateKey` the event type.
 */
export class WebhookSender implements ChannelSender {
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly guard: OutboundGuard;

  constructor(config: WebhookSenderConfig) {
    this.secret = config.secret;
    this.timeoutMs = config.timeoutMs ?? 10_000;
    this.now = config.now ?? Date.now;
    this.guard = config.guard ?? PUBLIC_ONLY;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const url = httpUrl(message.to);
    if (!url) {
      return { ok: false, retryable: false, providerResponse: '', error: `not an http(s) URL: ${message.to}` };
    }
    if (message.body === undefined) {
      return { ok: false, retryable: false, providerResponse: '', error: 'webhook message without a body' };
    }
    const refused = this.guard.refusalOfUrl(url);
    if (refused)
      return { ok: false, retryable: false, providerResponse: '', error: `webhook target refused: ${refused}` };
    const timestamp = Math.floor(this.now() / 1000);
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(this.secret, timestamp, message.body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [DELIVERY_HEADER]: message.deliveryId,
          [EVENT_HEADER]: message.templateKey,
        },
        body: message.body,
        // A redirect is answered as a failure rather than followed: following it would post the
        // signed event to wherever the receiver points, including hosts inside our network.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        // Names are resolved and judged at connect time: no internal address, however named.
        dispatcher: this.guard.dispatcher(),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (isRefusedAddress(error)) {
        return {
          ok: false,
          retryable: false,
          providerResponse: '',
          error: `webhook target refused: ${reasonOf(error)}`,
        };
      }
      const reason = isTimeout(error) ? `no answer within ${this.timeoutMs} ms` : reasonOf(error);
      return { ok: false, retryable: true, providerResponse: '', error: `webhook unreachable: ${reason}` };
    }
    const providerResponse = `${status} ${text.slice(0, RESPONSE_EXCERPT_CHARS)}`;
    if (status >= 200 && status < 300) return { ok: true, providerResponse };
    // 410: the receiver says the endpoint is gone for good.
    return { ok: false, retryable: status !== 410, providerResponse, error: `webhook answered HTTP ${status}` };
  }
}

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** AbortSignal.timeout aborts with a DOMException, which is no native error. */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'TimeoutError';
}
