import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../src/channels/webhook/webhook-signature';

/**
 * A partner's webhook endpoint played by a real local HTTP server: it keeps every request it gets
 * and, given the subscription's secret, checks each signature the way docs/webhooks.md tells
 * partners to.
 */

export interface ReceivedDelivery {
  method: string;
  /** Path and query. */
  path: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The raw body, as the signature covers it. */
  body: string;
  /** The signature and timestamp check out against the secret; false when the receiver has none. */
  verified: boolean;
  /** What the receiver answered; undefined for a request it left hanging. */
  status: number | undefined;
}

export interface WebhookReceiverOptions {
  /** The subscription's secret, to verify signatures with. */
  secret?: string;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>/hooks */
  url: string;
  /** Every request, answered or not, oldest first. */
  received: ReceivedDelivery[];
  /** The next `count` requests are answered with `status` (e.g. 500, 410) instead of 204. */
  failNext(count: number, status: number): void;
  /** The next `count` requests get no answer until `stop`, for timeouts. */
  hangNext(count: number): void;
  /** The first delivery, already here or still to come, that `predicate` accepts. */
  waitFor(predicate: (delivery: ReceivedDelivery) => boolean, timeoutMs?: number): Promise<ReceivedDelivery>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const answers: (number | 'hang')[] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const headers = headersOf(req);
      const verified =
        options.secret !== undefined &&
        verifyWebhook(
          options.secret,
          headers[SIGNATURE_HEADER.toLowerCase()],
          headers[TIMESTAMP_HEADER.toLowerCase()],
          raw,
          Math.floor(Date.now() / 1000),
        );
      const answer = answers.shift() ?? 204;
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: raw.toString('utf8'),
        verified,
        status: answer === 'hang' ? undefined : answer,
      });
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 204 ? undefined : `answered ${answer}`);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    failNext(count, status) {
      for (let i = 0; i < count; i++) answers.push(status);
    },
    hangNext(count) {
      for (let i = 0; i < count; i++) answers.push('hang');
    },
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const delivery = received.find(predicate);
        if (delivery) return delivery;
        if (Date.now() > deadline) {
          throw new Error(`no matching delivery within ${timeoutMs} ms (${received.length} received)`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      // Hung requests keep their sockets open; close() alone would wait for them forever.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
