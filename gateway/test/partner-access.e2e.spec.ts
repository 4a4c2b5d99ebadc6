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

  it('lets an admin key limited to a property administer that property, and nothing of the group or of others', async () => {
    const url = `${platform.gatewayUrl}/v1`;
    const made = await call(`${url}/admin/api-keys`, platform.apiKey, {
      body: { name: 'tower admin', propertyIds: ['sh-tower'], admin: true },
    });
    expect(made.status).toBe(201);
    const towerAdmin = (await made.json()) as { id: string; secret: string; createdBy: string };
    expect(towerAdmin.createdBy).not.toBe('');
    const as = (path: string, init: { method?: string; body?: unknown } = {}) =>
      call(`${url}${path}`, towerAdmin.secret, init);

    // What shapes the group or a region: 403.
    for (const path of ['/admin/notification-settings', '/admin/routing-rules']) {
      expect((await as(path)).status).toBe(403);
    }
    const general = {
      firstReply: { duration: 'PT2H', basis: 'calendar' },
      resolution: { duration: 'P2D', basis: 'calendar' },
      callback: { duration: 'P3D', basis: 'calendar' },
      approver: 'manager',
      reminderAt: 0.8,
      progressUpdateEvery: null,
      autoUpgradeAfter: { duration: 'P30D', basis: 'calendar' },
      startLevel: 'frontline',
      notifyOnReceipt: [],
    };
    const policy = { severities: { general } };
    expect((await as('/policies', { method: 'PUT', body: policy })).status).toBe(403);
    expect((await as('/policies/regions/east', { method: 'PUT', body: policy })).status).toBe(403);
    expect((await as('/admin/regions/east', { method: 'PUT', body: { name: '华东' } })).status).toBe(403);
    // Its own property's policy, not another's.
    expect((await as('/policies/properties/sh-tower', { method: 'PUT', body: policy })).status).toBe(200);
    expect((await as('/policies/properties/sh-mall', { method: 'PUT', body: policy })).status).toBe(404);

    // The directory: its property and its people only; staff up to property head.
    const directory = (await (await as('/admin/directory')).json()) as {
      properties: { id: string }[];
      staff: { id: string; propertyIds: string[] }[];
    };
    expect(directory.properties.map((property) => property.id)).toEqual(['sh-tower']);
    expect(directory.staff.every((member) => member.propertyIds.includes('sh-tower'))).toBe(true);
    const staff = (roleLevel: string, propertyIds: string[]) => ({
      method: 'PUT',
      body: { name: '钱多多', roleLevel, propertyIds, departmentId: 'sh-tower-engineering' },
    });
    expect((await as('/admin/staff/s-tower-new', staff('manager', ['sh-tower']))).status).toBe(200);
    expect((await as('/admin/staff/s-tower-hq', staff('group_hq', ['sh-tower']))).status).toBe(403);
    expect((await as('/admin/staff/s-mall-new', staff('manager', ['sh-mall']))).status).toBe(403);
    // A staff member of another property cannot be taken over by writing them into this one.
    expect((await as('/admin/staff/s-li-na', staff('frontline', ['sh-tower']))).status).toBe(403);
    const department = (propertyId: string) => ({
      method: 'PUT',
      body: { propertyId, name: '客服部', kind: 'customer_service' },
    });
    expect((await as('/admin/departments/sh-tower-customer-service', department('sh-tower'))).status).toBe(200);
    expect((await as('/admin/departments/sh-mall-customer-service', department('sh-tower'))).status).toBe(403);

    // Keys: only those within its property; never the key that made it.
    const child = (await (
      await as('/admin/api-keys', { body: { name: 'tower desk admin', propertyIds: ['sh-tower'], admin: true } })
    ).json()) as { id: string; secret: string; createdBy: string };
    expect(child.createdBy).toBe(towerAdmin.id);
    const listed = (await (await as('/admin/api-keys')).json()) as { items: { id: string }[] };
    expect(listed.items.map((key) => key.id).sort()).toEqual([towerAdmin.id, child.id].sort());
    const revoke = (secret: string, id: string) => call(`${url}/admin/api-keys/${id}`, secret, { method: 'DELETE' });
    expect((await revoke(child.secret, towerAdmin.id)).status).toBe(403);
    expect((await revoke(towerAdmin.secret, mallKey.id)).status).toBe(404);
    const groupKeyId = platform.apiKey.split('_')[1];
    expect((await revoke(towerAdmin.secret, groupKeyId)).status).toBe(404);
    expect((await revoke(towerAdmin.secret, child.id)).status).toBe(204);
  });

  it('refuses a revoked key at once', async () => {
    const revoked = await call(`${platform.gatewayUrl}/v1/admin/api-keys/${mallKey.id}`, platform.apiKey, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    expect((await register(mallKey.secret, 'sh-mall')).status).toBe(401);
  });
});
