import { call, eventually, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';

interface Item {
  id: string;
  number: string;
  propertyId: string;
  handler: { id: string; name: string } | null;
  nextDeadline: { name: string; dueAt: string } | null;
  awaitingApprovalLevel: string | null;
  resolveBy: string | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  invalidParams?: { name: string; reason: string }[];
}

// Search and the queues of GET /v1/complaints through the whole platform: the demo group
// (services/intake/seed/demo-group.json), sh-mall and sh-tower in region east.
describe('search and queues', () => {
  let platform: RunningPlatform;
  const tokens: Record<string, string> = {};
  const ids: Record<'lift' | 'leak' | 'english' | 'tower', string> = { lift: '', leak: '', english: '', tower: '' };
  let liftNumber = '';

  const list = async (token: string, query: Record<string, string>): Promise<Page> => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints?${new URLSearchParams(query).toString()}`, token);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };
  const found = async (query: Record<string, string>, token = platform.apiKey) =>
    (await list(token, query)).items.map((item) => item.id);
  const register = async (propertyId: string, contact: string, description: string, extra = {}): Promise<Item> => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints`, platform.apiKey, {
      body: {
        channel: 'phone',
        propertyId,
        complainant: { name: '张三', contact, type: 'consumer' },
        description,
        ...extra,
      },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Item;
  };
  /**
   * The complaint once its lifecycle has set its deadlines (and routing chose its handler, where
   * the property has staff in the department: sh-tower has no engineers).
   */
  const routed = (id: string) =>
    eventually(async () => {
      const items = (await list(platform.apiKey, { limit: '200' })).items;
      const item = items.find((candidate) => candidate.id === id);
      return item?.nextDeadline && (item.handler || item.propertyId === 'sh-tower') ? item : undefined;
    }, `complaint ${id} routed with a deadline`);

  beforeAll(async () => {
    platform = await startTestPlatform('search-queues');
    for (const staffId of ['s-li-na', 's-wang-lei', 's-zhao-min', 's-chen-jie', 's-liu-yang', 's-sun-li']) {
      tokens[staffId] = await signInStaff(platform.oidc, staffId);
    }
    const lift = await register('sh-mall', '13912345678', '停车场B2电梯停运，顾客被困十分钟', {
      location: 'B2 电梯厅',
      demand: '要求赔偿停车费',
    });
    ids.lift = lift.id;
    liftNumber = lift.number;
    ids.leak = (await register('sh-mall', '13700000001', '地下车库漏水严重，地面湿滑')).id;
    ids.english = (await register('sh-mall', 'tom@example.com', 'The escalator near gate 3 squeaks loudly')).id;
    ids.tower = (await register('sh-tower', '13912345678', '写字楼大堂电梯门无法关闭')).id;
    for (const id of Object.values(ids)) await routed(id);
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('finds a complaint by its number, whole or its beginning, in any case', async () => {
    expect(await found({ q: liftNumber })).toEqual([ids.lift]);
    const prefix = liftNumber.slice(0, liftNumber.lastIndexOf('-'));
    expect(await found({ q: prefix.toLowerCase() })).toEqual(expect.arrayContaining([ids.lift, ids.leak, ids.english]));
    expect(await found({ q: prefix })).not.toContain(ids.tower);
    expect(await found({ q: `${liftNumber}9` })).toEqual([]);
  });

  it('finds a complainant’s complaints by their contact however it is typed, through its blind index', async () => {
    expect((await found({ q: '+86 139-1234-5678' })).sort()).toEqual([ids.lift, ids.tower].sort());
    expect(await found({ q: 'TOM@example.com' })).toEqual([ids.english]);
    expect(await found({ q: '13912345679' })).toEqual([]);
  });

  it('finds words of the description, location, demand and notes, Chinese and English, every word needed', async () => {
    expect((await found({ q: '电梯' })).sort()).toEqual([ids.lift, ids.tower].sort());
    expect(await found({ q: '被困 B2' })).toEqual([ids.lift]);
    expect(await found({ q: '赔偿' })).toEqual([ids.lift]);
    expect(await found({ q: '车库漏水' })).toEqual([ids.leak]);
    expect(await found({ q: 'ESCALATOR squeaks' })).toEqual([ids.english]);
    expect(await found({ q: 'escalator lift' })).toEqual([]);
    const note = await call(`${platform.gatewayUrl}/v1/complaints/${ids.leak}/notes`, platform.apiKey, {
      body: { text: '已联系防水厂家上门' },
    });
    expect(note.status).toBe(201);
    expect(await found({ q: '防水厂家' })).toEqual([ids.leak]);
  });

  it('searches within the filters and the caller’s scope, a page at a time', async () => {
    expect(await found({ q: '电梯', propertyId: 'sh-tower' })).toEqual([ids.tower]);
    expect(await found({ q: '电梯' }, tokens['s-sun-li'])).toEqual([ids.tower]);
    expect(await found({ q: liftNumber }, tokens['s-sun-li'])).toEqual([]);
    const first = await list(platform.apiKey, { q: '电梯', limit: '1' });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(platform.apiKey, { q: '电梯', limit: '1', cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((item) => item.id).sort()).toEqual([ids.lift, ids.tower].sort());
    expect(second.nextCursor).toBeNull();
    const tooLong = await call(`${platform.gatewayUrl}/v1/complaints?q=${'词'.repeat(201)}`, platform.apiKey);
    expect(tooLong.status).toBe(400);
  });

  it('exports the ledger of what the same filters and search list, as CSV and XLSX, the complainant masked', async () => {
    const csv = await call(`${platform.gatewayUrl}/v1/complaints/export?format=csv&q=电梯`, platform.apiKey);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename\*=UTF-8''complaints-\d{4}-\d{2}-\d{2}\.csv/,
    );
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('投诉台账');
    expect(lines[1]).toMatch(/^投诉编号,受理时间,项目,渠道,类别,/);
    expect(lines).toHaveLength(4);
    const lift = lines.find((line) => line.startsWith(liftNumber));
    expect(lift).toContain('浦江商业广场');
    expect(lift).toContain('电话');
    expect(lift).toContain('139****5678');
    expect(lift).not.toContain('13912345678');
    const english = await call(
      `${platform.gatewayUrl}/v1/complaints/export?format=csv&language=en&propertyId=sh-tower`,
      platform.apiKey,
    );
    const rows = (await english.text()).trim().split('\r\n');
    expect(rows[1]).toMatch(/^Number,Received,Property,Channel,/);
    expect(rows.slice(2).map((row) => row.split(',')[0])).toEqual([
      (await list(platform.apiKey, { propertyId: 'sh-tower' })).items[0].number,
    ]);
    // The caller's scope holds: another property's staff export only what they may see.
    const theirs = await call(`${platform.gatewayUrl}/v1/complaints/export?format=csv`, tokens['s-sun-li']);
    expect((await theirs.text()).trim().split('\r\n').slice(2)).toHaveLength(1);
    const xlsx = await call(`${platform.gatewayUrl}/v1/complaints/export?q=电梯`, platform.apiKey);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const wrong = await call(`${platform.gatewayUrl}/v1/complaints/export?format=pdf`, platform.apiKey);
    expect(wrong.status).toBe(400);
  });

  it('lists my queue (handled or registered by me) nearest deadline first, with the deadline in each item', async () => {
    const lift = await routed(ids.lift);
    const handler = lift.handler!.id;
    tokens[handler] ??= await signInStaff(platform.oidc, handler);
    const mine = await list(tokens[handler], { assignedTo: 'me' });
    expect(mine.items.map((item) => item.id)).toContain(ids.lift);
    expect(mine.items.every((item) => item.handler?.id === handler)).toBe(true);
    const dues = mine.items.map((item) => Date.parse(item.nextDeadline!.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(mine.items.find((item) => item.id === ids.lift)?.nextDeadline?.name).toBe('firstReplyBy');
    // An API key names whose queue it is; without a staff member "me" means nobody.
    const withKey = await list(platform.apiKey, { assignedTo: 'me', actingAs: handler });
    expect(withKey.items.map((item) => item.id)).toEqual(mine.items.map((item) => item.id));
    const noOne = await call(`${platform.gatewayUrl}/v1/complaints?assignedTo=me`, platform.apiKey);
    expect(noOne.status).toBe(400);
    expect(((await noOne.json()) as Problem).invalidParams?.[0]?.name).toBe('actingAs');
  });

  it('lists a team: a supervisor’s department, a property head’s whole property; frontline leads none', async () => {
    const lift = await routed(ids.lift);
    const head = await found({ team: 'true' }, tokens['s-liu-yang']);
    expect(head).toEqual(expect.arrayContaining([ids.lift, ids.leak, ids.english]));
    expect(head).not.toContain(ids.tower);
    // 赵敏 supervises customer service at sh-mall (李娜 and herself): only what they handle.
    const supervisor = await list(tokens['s-zhao-min'], { team: 'true' });
    expect(supervisor.items.every((item) => ['s-li-na', 's-zhao-min'].includes(item.handler?.id ?? ''))).toBe(true);
    const mall = await Promise.all([ids.lift, ids.leak, ids.english].map(routed));
    const ofCustomerService = mall.filter((item) => ['s-li-na', 's-zhao-min'].includes(item.handler?.id ?? ''));
    expect(supervisor.items.map((item) => item.id).sort()).toEqual(ofCustomerService.map((item) => item.id).sort());
    expect(lift.handler).not.toBeNull();
    const frontline = await call(`${platform.gatewayUrl}/v1/complaints?team=true`, tokens['s-li-na']);
    expect(frontline.status).toBe(400);
  });

  it('lists what waits for my approval, and drops it once decided', async () => {
    const lift = await routed(ids.lift);
    const act = (path: string, body: Record<string, unknown>) =>
      call(`${platform.gatewayUrl}/v1/complaints/${ids.lift}/${path}`, platform.apiKey, { body });
    const handler = lift.handler!.id;
    expect((await act('acknowledge', { staffId: handler, reply: '您好，已安排处理' })).status).toBe(200);
    const { resolveBy } = (await (
      await call(`${platform.gatewayUrl}/v1/complaints/${ids.lift}`, platform.apiKey)
    ).json()) as Item;
    const until = new Date(Date.parse(resolveBy!) + 86_400_000).toISOString();
    expect((await act('extensions', { staffId: handler, until, reason: '等配件' })).status).toBe(200);
    // The extension waits for the policy's approver of its severity: that level and above see it, lower levels do not.
    const level = await eventually(async () => {
      const item = (await list(platform.apiKey, { limit: '200' })).items.find((candidate) => candidate.id === ids.lift);
      return item?.awaitingApprovalLevel ?? undefined;
    }, 'the extension waiting for a decision');
    const mall: Record<string, string> = {
      frontline: 's-li-na',
      supervisor: 's-zhao-min',
      manager: 's-chen-jie',
      property_head: 's-liu-yang',
    };
    const levels = Object.keys(mall);
    expect(levels).toContain(level);
    for (const [i, staffId] of Object.values(mall).entries()) {
      const waiting = await found({ awaitingMyApproval: 'true' }, tokens[staffId]);
      if (i >= levels.indexOf(level)) expect(waiting).toContain(ids.lift);
      else expect(waiting).not.toContain(ids.lift);
    }
    const approver = mall[level];
    expect((await act('extensions/1/approve', { staffId: approver })).status).toBe(200);
    await eventually(async () => {
      const items = await found({ awaitingMyApproval: 'true' }, tokens[approver]);
      return items.includes(ids.lift) ? undefined : true;
    }, 'the decided extension out of the approvals');
  });
});
