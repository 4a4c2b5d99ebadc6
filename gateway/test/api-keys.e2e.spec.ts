import { ApiKeyRecord, ApiKeySchema } from '../src/api-keys/api-key.schema';
import { keyIdOf } from '../src/api-keys/api-key-secret';
import { ApiKeysRepository, KEY_RECORD_REUSE_MS } from '../src/api-keys/api-keys.repository';
import { call, insertApiKey, startGateway, type InProcessGateway } from './in-process-gateway';

interface ApiKeyView {
  id: string;
  name: string;
  groupId: string;
  propertyIds: string[] | null;
  admin: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
type CreatedKey = ApiKeyView & { secret: string };

// Authentication and key management need only the gateway and its database.
describe('partner API keys', () => {
  let gateway: InProcessGateway;
  const keysUrl = () => `${gateway.url}/v1/admin/api-keys`;

  const createKey = async (body: unknown, asKey = gateway.adminKey): Promise<CreatedKey> => {
    const response = await call(keysUrl(), asKey, { body });
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedKey;
  };
  const listKeys = async (asKey = gateway.adminKey): Promise<ApiKeyView[]> => {
    const response = await call(keysUrl(), asKey);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: ApiKeyView[] }).items;
  };

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('answers the health probes without a key', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it.each([
    ['no key', {}],
    ['a malformed key', { authorization: 'Bearer not-a-key' }],
    ['an unknown key', { authorization: `Bearer ck_unknown0id_${'A'.repeat(43)}` }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('refuses a request with %s: 401 problem, WWW-Authenticate: Bearer', async (_, headers) => {
    const response = await fetch(`${gateway.url}/v1/complaints/any`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(await response.json()).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
  });

  it('refuses the right key id with the wrong secret', async () => {
    const forged = `${gateway.adminKey.slice(0, -43)}${'B'.repeat(43)}`;
    expect((await call(keysUrl(), forged)).status).toBe(401);
  });

  it('accepts the key as a bearer token or in X-API-Key', async () => {
    expect((await call(keysUrl(), gateway.adminKey)).status).toBe(200);
    expect((await fetch(keysUrl(), { headers: { 'x-api-key': gateway.adminKey } })).status).toBe(200);
  });

  it('shows a new key’s secret once; the list never shows secrets', async () => {
    const created = await createKey({ name: 'call centre', propertyIds: ['shm01'] });
    expect(created).toMatchObject({
      name: 'call centre',
      groupId: gateway.groupId,
      propertyIds: ['shm01'],
      admin: false,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.secret).toMatch(new RegExp(`^ck_${created.id}_[A-Za-z0-9_-]{43}$`));

    const response = await call(keysUrl(), gateway.adminKey);
    const text = await response.text();
    expect(text).not.toContain(created.secret.slice(-43));
    expect(text).not.toMatch(/secret/i);
    const listed = (JSON.parse(text) as { items: ApiKeyView[] }).items;
    expect(listed.map((key) => key.id)).toEqual(expect.arrayContaining([created.id]));
    expect(listed.find((key) => key.id === created.id)).toEqual({ ...created, secret: undefined });
    expect(listed.find((key) => key.name === 'bootstrap')).toMatchObject({ admin: true, propertyIds: null });
  });

  it('records when a key was last used', async () => {
    const created = await createKey({ name: 'erp' });
    const before = Date.now();
    // Any authenticated request counts, even one refused for lack of admin rights.
    expect((await call(keysUrl(), created.secret)).status).toBe(403);
    const used = (await listKeys()).find((key) => key.id === created.id);
    expect(used?.lastUsedAt).not.toBeNull();
    expect(Date.parse(used?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });

  it('lets only admin keys manage keys: 403 problem for the others', async () => {
    const plain = await createKey({ name: 'mini-program' });
    for (const response of [
      await call(keysUrl(), plain.secret),
      await call(keysUrl(), plain.secret, { body: { name: 'escalate myself', admin: true } }),
      await call(`${keysUrl()}/${plain.id}`, plain.secret, { method: 'DELETE' }),
    ]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ type: '/problems/forbidden' });
    }
  });

  it('validates a new key, naming each bad field', async () => {
    const response = await call(keysUrl(), gateway.adminKey, { body: { name: '', propertyIds: [], extra: 1 } });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { type: string; invalidParams: { name: string }[] };
    expect(problem.type).toBe('/problems/validation-error');
    expect(problem.invalidParams.map((param) => param.name).sort()).toEqual(['(body)', 'name', 'propertyIds']);
  });

  it('keeps an admin limited to some properties within them', async () => {
    const limitedAdmin = await createKey({ name: 'regional desk', propertyIds: ['shm01', 'ofc-07'], admin: true });
    expect((await createKey({ name: 'one mall', propertyIds: ['shm01'] }, limitedAdmin.secret)).propertyIds).toEqual([
      'shm01',
    ]);
    for (const propertyIds of [['res-02'], null, undefined]) {
      const response = await call(keysUrl(), limitedAdmin.secret, { body: { name: 'wider', propertyIds } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { invalidParams: { name: string }[] }).invalidParams).toEqual([
        expect.objectContaining({ name: 'propertyIds' }),
      ]);
    }
  });

  it('refuses a revoked key from the next request on', async () => {
    const created = await createKey({ name: 'to revoke', admin: true });
    expect((await call(keysUrl(), created.secret)).status).toBe(200);

    const revoked = await call(`${keysUrl()}/${created.id}`, gateway.adminKey, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    const refused = await call(keysUrl(), created.secret);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ type: '/problems/unauthenticated' });

    expect((await listKeys()).find((key) => key.id === created.id)?.revokedAt).not.toBeNull();
    // Revoking again changes nothing.
    expect((await call(`${keysUrl()}/${created.id}`, gateway.adminKey, { method: 'DELETE' })).status).toBe(204);
  });

  it('reads a key again after a few seconds, so a revocation by another replica takes effect', async () => {
    const apiKey = await insertApiKey(gateway.database, { groupId: 'g-replicas' });
    const keyId = keyIdOf(apiKey) ?? '';
    // The gateway's own model (the same schema object returns it).
    const model = gateway.database.model<ApiKeyRecord>(ApiKeyRecord.name, ApiKeySchema);
    const thisReplica = new ApiKeysRepository(model);
    const otherReplica = new ApiKeysRepository(model);
    const t0 = Date.now();
    expect((await thisReplica.findForAuthentication(keyId, t0))?.revokedAt).toBeNull();

    await otherReplica.revoke('g-replicas', keyId, new Date(t0));
    // The other replica refuses it at once; this one uses the record it read, for a few seconds.
    expect((await otherReplica.findForAuthentication(keyId, t0))?.revokedAt).not.toBeNull();
    expect((await thisReplica.findForAuthentication(keyId, t0 + KEY_RECORD_REUSE_MS - 1))?.revokedAt).toBeNull();
    expect((await thisReplica.findForAuthentication(keyId, t0 + KEY_RECORD_REUSE_MS))?.revokedAt).not.toBeNull();
  });

  it('answers 404 for revoking a key that is not the group’s', async () => {
    const response = await call(`${keysUrl()}/doesnotexist`, gateway.adminKey, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: '/problems/not-found' });
  });

  it('keeps groups apart: an admin of another group neither sees nor revokes these keys', async () => {
    const mine = await createKey({ name: 'only mine' });
    const otherAdmin = await insertApiKey(gateway.database, { groupId: 'another-group', admin: true });

    const theirs = await listKeys(otherAdmin);
    expect(theirs.map((key) => key.groupId)).toEqual(['another-group']);
    const response = await call(`${keysUrl()}/${mine.id}`, otherAdmin, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect((await listKeys()).find((key) => key.id === mine.id)?.revokedAt).toBeNull();
  });
});
