import { call, eventually, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';

interface Complaint {
  id: string;
  number: string;
  status: string;
  propertyId: string;
  regionId: string;
  location: string;
  description: string;
  complainant: { name: string; contact: string; unit: string };
  handler: { id: string; name: string } | null;
  department: string | null;
  firstReplyBy: string | null;
  resolveBy: string | null;
  lifecycle: object | null;
}
interface Entry {
  type: string;
  actor: { id: string; name: string };
  details: Record<string, unknown>;
}
interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

// Corrections of registration facts through the whole platform (SPEC §2, §4: every change is on
// the timeline with who, when and why): intake stores them and records each field's before and
// after, personal data masked; a move to another property is routed there by routing, and the
// lifecycle goes on with the deadlines it had. The demo group: sh-mall and sh-tower in region east.
describe('corrections of registration facts', () => {
  let platform: RunningPlatform;
  const tokens: Record<string, string> = {};
  let complaint: Complaint;

  const read = async (id: string, token = platform.apiKey): Promise<Complaint> => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints/${id}`, token);
    expect(response.status).toBe(200);
    return (await response.json()) as Complaint;
  };
  const correct = (id: string, body: Record<string, unknown>, token = platform.apiKey) =>
    call(`${platform.gatewayUrl}/v1/complaints/${id}/corrections`, token, { body });
  const timeline = async (id: string): Promise<Entry[]> => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints/${id}/timeline?limit=500`, platform.apiKey);
    return ((await response.json()) as { entries: Entry[] }).entries;
  };
  const found = async (q: string): Promise<string[]> => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints?q=${encodeURIComponent(q)}`, platform.apiKey);
    return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
  };

  beforeAll(async () => {
    platform = await startTestPlatform('corrections');
    for (const staffId of ['s-li-na', 's-sun-li']) tokens[staffId] = await signInStaff(platform.oidc, staffId);
    const response = await call(`${platform.gatewayUrl}/v1/complaints`, platform.apiKey, {
      body: {
        channel: 'phone',
        propertyId: 'sh-mall',
        complainant: { name: '张三', contact: '13800138000', type: 'consumer', unit: 'L2-15' },
        location: 'L3 洗手间',
        description: '服务台工作人员态度冷淡，不理会顾客询问',
        categoryHint: 'service_quality',
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    complaint = await eventually(async () => {
      const current = await read(id);
      return current.lifecycle && current.handler && current.resolveBy ? current : undefined;
    }, 'the complaint routed with its lifecycle running');
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('corrects the location and the contact, recording each field’s before and after with personal data masked', async () => {
    const response = await correct(complaint.id, {
      reason: '登记时电话和位置记错，客户来电更正',
      location: 'L2 服务台',
      complainant: { contact: '13900139000' },
    });
    expect(response.status).toBe(200);
    const corrected = (await response.json()) as Complaint;
    expect(corrected.location).toBe('L2 服务台');
    expect(corrected.complainant.contact).toBe('139****9000');
    expect(corrected.complainant.name).toBe(complaint.complainant.name);

    const entries = await timeline(complaint.id);
    const entry = entries.find((candidate) => candidate.type === 'corrected');
    expect(entry?.details).toEqual({
      reason: '登记时电话和位置记错，客户来电更正',
      changes: [
        { field: 'location', before: 'L3 洗手间', after: 'L2 服务台' },
        { field: 'complainant.contact', before: '138****8000', after: '139****9000' },
      ],
    });
    // Nothing of the clear contact anywhere on the timeline.
    expect(JSON.stringify(entries)).not.toMatch(/13800138000|13900139000/);
    // Found by the corrected contact and the corrected location, no longer by the old contact.
    expect(await found('13900139000')).toEqual([complaint.id]);
    expect(await found('服务台')).toContain(complaint.id);
    expect(await found('13800138000')).toEqual([]);
    const revealed = await call(
      `${platform.gatewayUrl}/v1/complaints/${complaint.id}/personal-data/reveal`,
      platform.apiKey,
      {
        body: { fields: ['contact'], reason: '核对更正后的电话' },
      },
    );
    expect(((await revealed.json()) as { contact: string }).contact).toBe('13900139000');
  });

  it('refuses a correction that changes nothing, has no reason, or names an unknown property', async () => {
    const unchanged = await correct(complaint.id, { reason: '核对', location: 'L2 服务台' });
    expect(unchanged.status).toBe(400);
    expect(((await unchanged.json()) as Problem).detail).toMatch(/nothing changes/);
    expect((await correct(complaint.id, { location: 'L1' })).status).toBe(400);
    expect((await correct(complaint.id, { reason: '只有理由' })).status).toBe(400);
    expect((await correct(complaint.id, { reason: '更正', unknownField: 'x' })).status).toBe(400);
    const unknown = await correct(complaint.id, { reason: '更正', propertyId: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Problem).invalidParams).toEqual([
      { name: 'propertyId', reason: 'is not a property of this group' },
    ]);
    // Frontline staff of the mall do not see the region's other places beyond their own property.
    expect(
      (await correct(complaint.id, { reason: '登记错项目', propertyId: 'sh-tower' }, tokens['s-li-na'])).status,
    ).toBe(403);
  });

  it('moves it to another property: routed there, the running deadlines kept, the move on the timeline', async () => {
    const response = await correct(complaint.id, { reason: '客户其实在陆家嘴大厦', propertyId: 'sh-tower' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Complaint).propertyId).toBe('sh-tower');
    // Routed at the tower (intake's record and the lifecycle both name the new handler).
    await eventually(
      async () => (await timeline(complaint.id)).find((entry) => entry.type === 'move'),
      'the lifecycle moved',
    );
    const moved = await read(complaint.id);
    expect(['s-sun-li', 's-zhou-qiang']).toContain(moved.handler?.id);
    expect(moved.department).toBe('customer_service');
    expect(moved.firstReplyBy).toBe(complaint.firstReplyBy);
    expect(moved.resolveBy).toBe(complaint.resolveBy);

    const types = (await timeline(complaint.id)).map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['corrected', 'reassigned', 'move']));
    const move = (await timeline(complaint.id)).find((entry) => entry.type === 'move');
    expect(move?.details).toMatchObject({
      fromPropertyId: 'sh-mall',
      toPropertyId: 'sh-tower',
      reason: '客户其实在陆家嘴大厦',
    });

    // The mall's frontline no longer sees it; the tower's handler does, and acts on it.
    expect((await call(`${platform.gatewayUrl}/v1/complaints/${complaint.id}`, tokens['s-li-na'])).status).toBe(404);
    const acknowledged = await call(
      `${platform.gatewayUrl}/v1/complaints/${complaint.id}/acknowledge`,
      tokens['s-sun-li'],
      {
        body: { reply: '您好，已转陆家嘴大厦客服处理' },
      },
    );
    expect(acknowledged.status).toBe(200);
  });
});
