import * as net from 'node:net';
import { call, closedPort, insertApiKey, startGateway, type InProcessGateway } from './in-process-gateway';
import { SharedRateCounter } from '../src/rate-limits/shared-rate-counter';

const registration = {
  propertyId: 'shm01',
  channel: 'phone',
  complainant: { name: '张三', contact: '13800138000', type: 'consumer' },
  description: '停车场电梯停运半小时',
};

async function problemOf(response: Response): Promise<{ type: string; status: number; detail?: string }> {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as { type: string; status: number; detail?: string };
}

/** A TCP server that accepts connections and never answers: a service that hangs. */
async function silentServer(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('limits and failing services', () => {
  describe('with intake and escalation down', () => {
    let gateway: InProcessGateway;

    beforeAll(async () => {
      gateway = await startGateway({ MAX_BODY_BYTES: '4096' });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('answers 503 with Retry-After at once instead of hanging', async () => {
      const started = Date.now();
      const registered = await call(`${gateway.url}/v1/complaints`, gateway.adminKey, { body: registration });
      const read = await call(`${gateway.url}/v1/complaints/c-1`, gateway.adminKey);
      expect(Date.now() - started).toBeLessThan(3_000);
      for (const response of [registered, read]) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        const problem = await problemOf(response);
        expect(problem.type).toBe('/problems/service-unavailable');
        // Where the service lives is for the log, not for partners.
        expect(problem.detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      }
    });

    it('still says 401 first to a caller without a key', async () => {
      expect((await call(`${gateway.url}/v1/complaints`, undefined, { body: registration })).status).toBe(401);
    });

    it('refuses a body over the limit with 413', async () => {
      const response = await call(`${gateway.url}/v1/complaints`, gateway.adminKey, {
        body: { ...registration, description: '长'.repeat(2_000) },
      });
      expect(response.status).toBe(413);
      expect(await problemOf(response)).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    });

    it('refuses malformed JSON with 400', async () => {
      const response = await call(`${gateway.url}/v1/complaints`, gateway.adminKey, { body: '{"propertyId": ' });
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ type: '/problems/malformed-body', status: 400 });
    });

    it('answers an unknown route with a 404 problem', async () => {
      const response = await call(`${gateway.url}/v1/nothing-here`, gateway.adminKey);
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toMatchObject({ type: '/problems/not-found' });
    });
  });

  describe('with the identity provider down', () => {
    let gateway: InProcessGateway;
    let issuer = '';

    beforeAll(async () => {
      issuer = `http://127.0.0.1:${await closedPort()}`;
      gateway = await startGateway({ OIDC_ISSUER_URL: issuer, OIDC_GROUP_ID: 'g' });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('answers a staff token 503 with Retry-After, not 401: the token may be fine', async () => {
      // Named by its issuer: the group signing in there is found, then its keys cannot be fetched.
      const claims = Buffer.from(JSON.stringify({ sub: 's-li-na', iss: issuer })).toString('base64url');
      const token = ['eyJhbGciOiJSUzI1NiJ9', claims, 'c2lnbmF0dXJl'].join('.');
      const response = await fetch(`${gateway.url}/v1/complaints`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await problemOf(response)).type).toBe('/problems/service-unavailable');
    });
  });

  describe('with intake hanging', () => {
    let gateway: InProcessGateway;
    let hanging: Awaited<ReturnType<typeof silentServer>>;

    beforeAll(async () => {
      hanging = await silentServer();
      gateway = await startGateway({ INTAKE_GRPC_URL: hanging.address, GRPC_DEADLINE_MS: '300' });
    });
    afterAll(async () => {
      await gateway?.close();
      await hanging?.close();
    });

    it('gives up at the deadline: 504 with Retry-After', async () => {
      const started = Date.now();
      const response = await call(`${gateway.url}/v1/complaints`, gateway.adminKey, { body: registration });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(response.status).toBe(504);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await problemOf(response)).toMatchObject({ type: '/problems/upstream-timeout', status: 504 });
    });
  });

  describe('with intake hanging and room for two registrations at once', () => {
    let gateway: InProcessGateway;
    let hanging: Awaited<ReturnType<typeof silentServer>>;

    beforeAll(async () => {
      hanging = await silentServer();
      gateway = await startGateway({
        INTAKE_GRPC_URL: hanging.address,
        GRPC_DEADLINE_MS: '1500',
        REGISTRATIONS_IN_FLIGHT: '2',
      });
    });
    afterAll(async () => {
      await gateway?.close();
      await hanging?.close();
    });

    it('sheds the third at once with 503 and Retry-After, and admits again once the two are done', async () => {
      const post = () => call(`${gateway.url}/v1/complaints`, gateway.adminKey, { body: registration });
      const admitted = [post(), post()];
      // Both are sent to intake before the third arrives.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const shed = await post();
      expect(Date.now() - started).toBeLessThan(500);
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect(await problemOf(shed)).toMatchObject({ type: '/problems/service-unavailable', status: 503 });

      // The two admitted ones reached intake and waited for it: the deadline, not the shedding, ends them.
      for (const response of await Promise.all(admitted)) expect(response.status).toBe(504);
      expect((await post()).status).toBe(504);
    });
  });

  describe('with a rate limit of 3 requests a minute', () => {
    let gateway: InProcessGateway;

    beforeAll(async () => {
      gateway = await startGateway({ RATE_LIMIT_PER_MINUTE: '3' });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('answers the fourth request of a key 429 with Retry-After; other keys and probes go on', async () => {
      const keysUrl = `${gateway.url}/v1/admin/api-keys`;
      for (let i = 0; i < 3; i++) expect((await call(keysUrl, gateway.adminKey)).status).toBe(200);

      const limited = await call(keysUrl, gateway.adminKey);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await problemOf(limited)).toMatchObject({ type: '/problems/rate-limited', status: 429 });

      // The budget is the key's, not the client's: another key from the same address still works.
      const otherKey = await insertApiKey(gateway.database, { groupId: gateway.groupId, admin: true });
      expect((await call(keysUrl, otherKey)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    });
  });

  describe('with a rate limit of 6 requests a minute, shared by two replicas', () => {
    let first: InProcessGateway;
    let second: InProcessGateway;

    beforeAll(async () => {
      first = await startGateway({ RATE_LIMIT_PER_MINUTE: '6' });
      second = await startGateway({ RATE_LIMIT_PER_MINUTE: '6', MONGO_DB: first.database.name });
    });
    afterAll(async () => {
      await Promise.all([first?.close(), second?.close()]);
    });

    it("counts a key's requests to either replica against the one budget", async () => {
      const keysUrl = (gateway: InProcessGateway) => `${gateway.url}/v1/admin/api-keys`;
      for (let i = 0; i < 4; i++) expect((await call(keysUrl(first), first.adminKey)).status).toBe(200);
      // What the replicas do every second on their own.
      await first.app.get(SharedRateCounter).sync();
      expect((await call(keysUrl(second), first.adminKey)).status).toBe(200);
      await second.app.get(SharedRateCounter).sync();
      expect((await call(keysUrl(second), first.adminKey)).status).toBe(200);
      expect((await call(keysUrl(second), first.adminKey)).status).toBe(429);
      await second.app.get(SharedRateCounter).sync();
      await first.app.get(SharedRateCounter).sync();
      expect((await call(keysUrl(first), first.adminKey)).status).toBe(429);
      // Another key's budget is its own.
      expect((await call(keysUrl(second), second.adminKey)).status).toBe(200);
    });
  });

  describe('with 5 wrong credentials a minute allowed per address', () => {
    let gateway: InProcessGateway;

    beforeAll(async () => {
      gateway = await startGateway({ FAILED_AUTHENTICATIONS_PER_MINUTE: '5' });
    });
    afterAll(async () => {
      await gateway?.close();
    });

    it('does not count refused staff tokens: they cannot be guessed, and an office shares one address', async () => {
      const keysUrl = `${gateway.url}/v1/admin/api-keys`;
      for (let i = 0; i < 8; i++) expect((await call(keysUrl, 'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl')).status).toBe(401);
      expect((await call(keysUrl, gateway.adminKey)).status).toBe(200);
    });

    it('answers 429 before checking any credential once an address sent too many wrong ones', async () => {
      const keysUrl = `${gateway.url}/v1/admin/api-keys`;
      const wrong = `ck_abc123_${'x'.repeat(43)}`;
      for (let i = 0; i < 5; i++) expect((await call(keysUrl, i % 2 ? wrong : undefined)).status).toBe(401);
      const limited = await call(keysUrl, wrong);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemOf(limited)).toMatchObject({ type: '/problems/rate-limited', status: 429 });
      // Not even a right key gets through from that address now; probes need no credential.
      expect((await call(keysUrl, gateway.adminKey)).status).toBe(429);
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
      // Another client, behind the trusted proxy that names it, is its own address.
      const viaProxy = await fetch(keysUrl, {
        headers: { authorization: `Bearer ${gateway.adminKey}`, 'x-forwarded-for': '203.0.113.7' },
      });
      expect(viaProxy.status).toBe(200);
    });
  });
});
