import mongoose from 'mongoose';
import { type RunningPlatform, startTestPlatform, testServers } from '@complaints/devstack';
import { call, insertApiKey } from './in-process-gateway';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

// Partners see only their group, and a key limited to properties only those (SPEC §1, §9),
// through the whole platform: the gateway decides with what intake answers.
describe('partner access through API keys', () => {
  let platform: RunningPlatform;
  let mongo: mongoose.Mongoose;
  /** A key of demo-group limited to the mall. */
  let mallKey: { id: string; secret: string };

  const registration = (propertyId: string) => ({
    propertyId,
    channel: 'phone',
    complainant: { name: '张三', contact: '13800138000', type: 'consumer' },
    description: '停车场电梯停运半小时',
  });
  const register = async (apiKey: string | undefined, propertyId: string): Promise<Response> =>
    call(`${platform.gatewayUrl}/v1/complaints`, apiKey, { body: registration(propertyId) });
  const registered = async (apiKey: string, propertyId: string): Promise<string> => {
    const response = await register(apiKey, propertyId);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const read = (apiKey: string, id: string) => call(`${platform.gatewayUrl}/v1/complaints/${id}`, apiKey);

  beforeAll(async () => {
    const servers = testServers();
    platform = await startTestPlatform('partner-access');
    mongo = await mongoose.connect(servers.mongoUrl);
    const created = await call(`${platform.gatewayUrl}/v1/admin/api-keys`, platform.apiKey, {
      body: { name: 'mall service desk', propertyIds: ['sh-mall'] },
    });
    expect(created.status).toBe(201);
    mallKey = (await created.json()) as { id: string; secret: string };
  });
  afterAll(async () => {
    await mongo?.disconnect();
    await platform?.stop();
  });

  it('refuses requests without a valid key', async () => {
    for (const apiKey of [undefined, 'ck_nope_nope', `ck_abc123_${'x'.repeat(43)}`]) {
      const response = await register(apiKey, 'sh-mall');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('lets a key limited to a property register there, and only there', async () => {
    const id = await registered(mallKey.secret, 'sh-mall');
    expect((await read(mallKey.secret, id)).status).toBe(200);

    const elsewhere = await register(mallKey.secret, 'sh-tower');
    expect(elsewhere.status).toBe(400);
    const problem = (await elsewhere.json()) as Problem;
    expect(problem.type).toBe('/problems/validation-error');
    expect(problem.invalidParams?.map((param) => param.name)).toEqual(['propertyId']);
  });

  it('answers 404 for a complaint of another property, exactly as for one that does not exist', async () => {
    const towerComplaint = await registered(platform.apiKey, 'sh-tower');
    const unknown = '00000000-0000-0000-0000-000000000000';

    const hidden = await read(mallKey.secret, towerComplaint);
    const missing = await read(mallKey.secret, unknown);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    const withoutId = (problem: Problem, id: string) => ({ ...problem, detail: problem.detail?.replace(id, '<id>') });
    expect(withoutId((await hidden.json()) as Problem, towerComplaint)).toEqual(
      withoutId((await missing.json()) as Problem, unknown),
    );
    // The group's unlimited key sees it.
    expect((await read(platform.apiKey, towerComplaint)).status).toBe(200);
  });

  it('hides a group’s complaints from another group’s key', async () => {
    const id = await registered(platform.apiKey, 'sh-mall');
    const otherGroupKey = await insertApiKey(mongo.connection.useDb(platform.gatewayDatabase), {
      groupId: 'another-group',
      admin: true,
    });
    const response = await read(otherGroupKey, id);
    expect(response.status).toBe(404);
    expect(((await response.json()) as Problem).type).toBe('/problems/not-found');
  });

  it('refuses a revoked key at once', async () => {
    const revoked = await call(`${platform.gatewayUrl}/v1/admin/api-keys/${mallKey.id}`, platform.apiKey, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    expect((await register(mallKey.secret, 'sh-mall')).status).toBe(401);
  });
});
