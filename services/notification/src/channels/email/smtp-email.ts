import { types } from 'node:util';
import { createTransport, type NodemailerError, type SMTPPoolSentMessageInfo, type Transporter } from 'nodemailer';
import type { ChannelSender, OutgoingMessage, SendResult } from '../channel';

export interface SmtpEmailConfig {
  /** smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps://user:pass@host:port. */
  smtpUrl: string;
  /** The From header, e.g. `"物业服务中心" <noreply@example.com>`. */
  from: string;
}

/** Carries the delivery id in every mail, so a bounce or a test can be matched to its delivery. */
export const EMAIL_DELIVERY_HEADER = 'X-Complaints-Delivery';

/**
 * Failures without an SMTP reply that a later attempt may get past: the server was down,
 * unreachable, slow or dropped the connection. Anything else without a reply (a bad address,
 * credentials refused before any reply) fails the same way again.
 */
const RETRYABLE_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

/** Plain-text mail (with attachments, if any) over SMTP through one connection pool per sender. */
export class SmtpEmailSender implements ChannelSender {
  private readonly transporter: Transporter<SMTPPoolSentMessageInfo>;

  constructor(
    private readonly config: SmtpEmailConfig,
    options: { timeoutMs?: number } = {},
  ) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.transporter = createTransport({
      url: config.smtpUrl,
      pool: true,
      // Nodemailer waits up to 2 minutes for a connection and 10 for a stalled socket; a send
      // holds the event consumer that long, and the caller retries anyway.
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 3,
    });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    try {
      const info = await this.transporter.sendMail({
        from: this.config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { [EMAIL_DELIVERY_HEADER]: message.deliveryId },
        attachments: message.attachments?.map((attachment) => ({
          filename: attachment.fileName,
          contentType: attachment.contentType,
          content: attachment.content,
        })),
      });
      return { ok: true, providerResponse: info.response };
    } catch (error) {
      return failureOf(error);
    }
  }

  /** Closes the pool's connections once the mails being sent are through. */
  close(): void {
    this.transporter.close();
  }
}

function failureOf(error: unknown): Extract<SendResult, { ok: false }> {
  // isNativeError rather than instanceof: socket errors are made in Node's own realm, not jest's.
  if (!types.isNativeError(error)) {
    return { ok: false, retryable: false, providerResponse: '', error: String(error) };
  }
  const { code, originalCode, responseCode, response, permanent }: NodemailerError = error;
  let retryable: boolean;
  if (responseCode !== undefined) {
    // 4xx: try later (greylisting, a full mailbox, throttling); 5xx: refused for good. Nodemailer
    // counts 503 (bad sequence of commands) as transient: a fault of the session, not of the mail.
    retryable = !(permanent ?? responseCode >= 500);
  } else {
    retryable = RETRYABLE_CODES.has(code ?? '') || RETRYABLE_CODES.has(originalCode ?? '');
  }
  return { ok: false, retryable, providerResponse: response ?? '', error: error.message };
}
