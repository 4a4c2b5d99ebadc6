import type { NotificationChannel } from '@complaints/domain';

/** The ways notification reaches people and systems (SPEC §7). */
export type Channel = NotificationChannel;

/** A file sent with an e-mail (a scheduled report's XLSX). */
export interface Attachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/**
 * One message to one recipient on one channel, already rendered in the recipient's language.
 * SMS and WeChat providers only send templates registered with them: `templateKey` names the
 * platform's template (receipt, breach …) and `params` fill the provider's template; email
 * sends `subject` and `text`; a webhook posts `body`.
 */
export interface OutgoingMessage {
  /** Delivery id: providers that accept an out-id get it, so their records match ours. */
  deliveryId: string;
  /** Email address, mainland mobile number (+86…), WeChat openid or webhook URL. */
  to: string;
  templateKey: string;
  params: Record<string, string>;
  subject: string;
  text: string;
  /** For webhooks: the JSON document to post. */
  body?: string;
  /** For e-mail: files to attach (other channels carry none). */
  attachments?: Attachment[];
}

/** What a provider answered. `retryable`: worth another attempt later (timeouts, 5xx, throttling). */
export type SendResult =
  { ok: true; providerResponse: string } | { ok: false; retryable: boolean; providerResponse: string; error: string };

export interface ChannelSender {
  send(message: OutgoingMessage): Promise<SendResult>;
}
