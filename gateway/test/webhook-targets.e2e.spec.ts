import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, eventually, type RunningPlatform, startTestPlatform } from '@complaints/devstack';

interface Receiver {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** An HTTP endpoint on `host` that records each request and answers as `answer` says. */
async function receiver(
  host: string,
  answer: (path: string, response: http.ServerResponse) => void,
): Promise<Receiver> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      hits.push(request.url ?? '');
      answer(request.url ?? '', response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface DeliveryView {
  address: string;
  status: string;
  attempts: { ok: boolean; error: string; providerResponse: string }[];
}

/**
 * What a partner who subscribes a webhook to an internal address gets, through the whole
 * platform: the operator allows one address (127.0.0.2, where the partner's real endpoint
 * listens here) and notification reaches that one only, however the others are written, and
 * follows no redirect from it. Each refused attempt says why and shows no answer of the target.
 */
describe('webhook targets inside the network', () => {
  let platform: RunningPlatform;
  /** Stands for the internal services a request must never reach (the loopback the gateway listens on). */
  let inside: Receiver;
  /** The partner's endpoint, the one address the operator allows. */
  let partner: Receiver;

  beforeAll(async () => {
    inside = await receiver('127.0.0.1', (_, response) => response.writeHead(200).end('{"items":["secret"]}'));
    partner = await receiver('127.0.0.2', (path, response) => {
      if (path.startsWith('/redirect')) response.writeHead(302, { location: `${inside.url}/stolen` }).end();
      else response.writeHead(204).end();
    });
    platform = await startTestPlatform('webhook-targets', { env: { OUTBOUND_ALLOWED_CIDRS: '127.0.0.2/32' } });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
    await inside?.close();
    await partner?.close();
  });

  it('reaches the allowed endpoint only: loopback, private, link-local, unique-local, metadata and redirects are refused', async () => {
    const insidePort = new URL(inside.url).port;
    const refused = [
      `${platform.gatewayUrl}/v1/admin/api-keys`,
      `${inside.url}/loopback`,
      `http://localhost:${insidePort}/a-name-resolving-to-loopback`,
      `http://[::1]:${insidePort}/ipv6-loopback`,
      `http://[::ffff:127.0.0.1]:${insidePort}/ipv4-mapped`,
      `http://2130706433:${insidePort}/decimal-loopback`,
      'http://10.0.0.1/private',
      'http://192.168.1.1/private',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/unique-local',
      'http://[fe80::1]/link-local',
    ];
    const allowed = `${partner.url}/ok`;
    const redirecting = `${partner.url}/redirect`;
    for (const url of [...refused, allowed, redirecting]) {
      const subscribed = await call(`${platform.gatewayUrl}/v1/webhooks/subscriptions`, platform.apiKey, {
        body: { url, events: ['registered'], secret: 'a-partner-secret-of-32-characters' },
      });
      expect(subscribed.status).toBe(201);
    }
    const registered = await call(`${platform.gatewayUrl}/v1/complaints`, platform.apiKey, {
      body: {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: '张三', contact: '13800138000', type: 'consumer' },
        description: '停车场电梯停运半小时',
      },
    });
    expect(registered.status).toBe(201);

    const deliveries = await eventually(async () => {
      const answer = (await (
        await call(`${platform.gatewayUrl}/v1/webhooks/deliveries?limit=100`, platform.apiKey)
      ).json()) as {
        deliveries: DeliveryView[];
      };
      const tried = answer.deliveries.filter((delivery) => delivery.attempts.length > 0);
      return tried.length === refused.length + 2 ? tried : undefined;
    }, 'every webhook tried once');
    const byAddress = new Map(deliveries.map((delivery) => [delivery.address, delivery]));

    for (const url of refused) {
      const delivery = byAddress.get(url) ?? byAddress.get(new URL(url).href);
      const attempt = delivery?.attempts[0];
      // Refused for good (no retry will reach it either), saying why, with nothing of an answer.
      expect({ url, delivery: delivery?.status, ok: attempt?.ok, answer: attempt?.providerResponse }).toEqual({
        url,
        delivery: 'dead',
        ok: false,
        answer: '',
      });
      expect(attempt?.error).toMatch(/^webhook target refused: /);
    }
    expect(byAddress.get(allowed)).toMatchObject({ status: 'sent' });
    // A redirect is the receiver's answer, not a place to go: recorded as a failure, never followed.
    expect(byAddress.get(redirecting)?.attempts[0]).toMatchObject({ ok: false, error: 'webhook answered HTTP 302' });

    expect(partner.hits.filter((path) => path === '/ok')).toHaveLength(1);
    expect(partner.hits.some((path) => path === '/redirect')).toBe(true);
    expect(inside.hits).toEqual([]);
  }, 120_000);
});
