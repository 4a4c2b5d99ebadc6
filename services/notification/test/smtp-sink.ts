import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 that keeps every mail it accepts, parsed. Plain text only
 * (no STARTTLS); AUTH is optional and any credentials pass, so URLs with and without them work.
 */

export interface SinkMail {
  /** The envelope sender (MAIL FROM). */
  from: string;
  /** The envelope recipients (RCPT TO) the sink accepted. */
  to: string[];
  subject: string;
  text: string;
  /** The user name the client logged in with; undefined without AUTH. */
  user: string | undefined;
  /** Header names in lower case; text and address headers (Subject, From …) decoded. */
  headers: Record<string, string>;
  /** Attached files, decoded. */
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> */
  url: string;
  /** Accepted mails, oldest first. */
  mails: SinkMail[];
  /** The next `count` recipients are refused at RCPT TO with `code` (4xx: try later, 5xx: never). */
  rejectNext(count: number, code: number): void;
  /** The first mail, already here or still to come, that `predicate` accepts. */
  waitFor(predicate: (mail: SinkMail) => boolean, timeoutMs?: number): Promise<SinkMail>;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SinkMail[] = [];
  const rejections: number[] = [];

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    // AUTH without TLS is refused by default; this sink has no TLS to offer.
    allowInsecureAuth: true,
    logger: false,
    // A pooled client that was not closed would otherwise hold stop() for 30 seconds.
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onRcptTo(_address, _session, callback) {
      const code = rejections.shift();
      if (code === undefined) return callback();
      const error: SMTPServerError = new Error(code < 500 ? 'Mailbox busy, try again later' : 'Mailbox unavailable');
      error.responseCode = code;
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            user: typeof session.user === 'string' ? session.user : undefined,
            headers: headersOf(parsed),
            attachments: parsed.attachments.map((attachment) => ({
              filename: attachment.filename ?? '',
              contentType: attachment.contentType,
              content: attachment.content,
            })),
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    rejectNext(count, code) {
      for (let i = 0; i < count; i++) rejections.push(code);
    },
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = mails.find(predicate);
        if (mail) return mail;
        if (Date.now() > deadline)
          throw new Error(`no matching mail within ${timeoutMs} ms (${mails.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Decoded values for text and address headers; the unfolded raw value for the rest (dates, Content-Type …). */
function headersOf(parsed: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = parsed.headers.get(key);
    if (typeof value === 'string') headers[key] = value;
    else if (isAddressObject(value)) headers[key] = value.text;
    else
      headers[key] = line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
  }
  return headers;
}

function isAddressObject(value: HeaderValue | undefined): value is AddressObject {
  return typeof value === 'object' && !Array.isArray(value) && 'text' in value && typeof value.text === 'string';
}
