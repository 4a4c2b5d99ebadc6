import { call, insertApiKey, startGateway, type InProcessGateway } from './in-process-gateway';

// The gateway alone on the real MongoDB: canned replies live in its own database.
describe('canned first replies', () => {
  let gateway: InProcessGateway;
  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const put = (key: string, body: unknown) =>
    call(`${gateway.url}/v1/admin/canned-replies`, key, { method: 'PUT', body });
  const list = async (key: string) => {
    const response = await call(`${gateway.url}/v1/canned-replies`, key);
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: string[] }).replies;
  };

  it('are empty until the group sets them, then every key of the group reads them', async () => {
    const partner = await insertApiKey(gateway.database, { groupId: gateway.groupId });
    expect(await list(partner)).toEqual([]);
    const replies = ['您好，您的投诉（{number}）已受理。', '工程人员正在现场处理。'];
    const saved = await put(gateway.adminKey, { replies: replies.map((reply) => ` ${reply} `) });
    expect(saved.status).toBe(200);
    expect(await list(partner)).toEqual(replies);
    // Another group sees its own (none).
    expect(await list(await insertApiKey(gateway.database, { groupId: 'another-group' }))).toEqual([]);
  });

  it('are replaced only by admins, and bad lists are refused field by field', async () => {
    const partner = await insertApiKey(gateway.database, { groupId: gateway.groupId });
    expect((await put(partner, { replies: ['x'] })).status).toBe(403);
    const refused = await put(gateway.adminKey, { replies: ['fine', '   '] });
    expect(refused.status).toBe(400);
    const problem = (await refused.json()) as { invalidParams: { name: string }[] };
    expect(problem.invalidParams.map((param) => param.name)).toEqual(['replies.1']);
    expect(await list(gateway.adminKey)).not.toContain('x');
  });
});
