import { createHash } from 'node:crypto';
import { type RunningPlatform, eventually, startTestPlatform } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface Problem {
  type: string;
  status: number;
  invalidParams?: { name: string; reason: string }[];
}
interface ComplaintView {
  id: string;
  number: string;
  status: string;
  regionId: string;
  channel: string;
  resolvedAtFirstContact: boolean;
  category: string | null;
  lifecycle: unknown;
}
interface TimelineEntry {
  seq: number;
  type: string;
  actor: { kind: string; name: string };
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

const ATTACHMENT_LIMIT = 200_000;
const MATTERS = ['会议室空调不制冷', '电梯按钮失灵', '停车场照明太暗', '前台访客登记太慢', '卫生间洗手液缺货'];

// Registering and following complaints as a partner system does, through the whole platform.
describe('partner API: registration, following, timeline, attachments', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('partner-api', {
      gatewayEnv: { ATTACHMENT_MAX_BYTES: String(ATTACHMENT_LIMIT) },
    });
    url = `${platform.gatewayUrl}/v1/complaints`;
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const registration = {
    propertyId: 'sh-mall',
    channel: 'wechat',
    receivedAt: '2026-11-20T10:15:00+08:00',
    complainant: { name: '王五', contact: '13900139000', type: 'tenant', unit: 'L1-08', anchorTenant: true },
    location: 'L1 中庭',
    description: '商铺门口地面渗水，影响营业',
    demand: '今天内处理并说明原因',
    involvedDepartment: '工程部',
    involvedStaff: '王磊',
    serviceItem: '公共区域维修',
    coComplainantCount: 2,
    confidential: false,
    language: 'zh-CN',
    categoryHint: 'facilities_equipment',
    severityHint: 'important',
  };
  const register = (body: unknown, headers: Record<string, string> = {}) => call(url, key, { body, headers });
  // A registration by someone else each time: the same person about the same matter would be
  // linked to their open case as a duplicate (SPEC §3), which some tests here must avoid.
  let people = 0;
  const someoneElse = (overrides: Record<string, unknown> = {}) => ({
    ...registration,
    complainant: { ...registration.complainant, contact: `1360000${String(++people).padStart(4, '0')}` },
    ...overrides,
  });
  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

  it('registers every SPEC §2 field and answers a retried request with the first result', async () => {
    const first = await register(registration, { 'idempotency-key': 'crm-4711' });
    expect(first.status).toBe(201);
    const created = await json<{ id: string; number: string; status: string }>(first);
    expect(created.number).toMatch(/^SHM01-\d{8}-\d{4}$/);

    // The same body with its fields in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(registration).reverse());
    const retried = await register(reordered, { 'idempotency-key': 'crm-4711' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(retried)).toEqual(created);

    const conflict = await register({ ...registration, description: '别的事' }, { 'idempotency-key': 'crm-4711' });
    expect(conflict.status).toBe(409);
    expect((await json<Problem>(conflict)).type).toBe('/problems/conflict');

    const view = await json<ComplaintView>(await call(`${url}/${created.id}`, key));
    expect(view).toMatchObject({ id: created.id, regionId: 'east', channel: 'wechat', resolvedAtFirstContact: false });
    expect(view).toMatchObject({
      // Personal data is masked in every view (SPEC §9); revealing it is personal-data.e2e.spec.ts's.
      complainant: { ...registration.complainant, name: '王*', contact: '139****9000', unit: 'L1***' },
      involvedDepartment: '工程部',
      involvedStaff: '王磊',
      serviceItem: '公共区域维修',
      coComplainantCount: 2,
      receivedAt: '2026-11-20T02:15:00.000Z',
    });
  });

  it('numbers concurrent registrations without gaps or duplicates', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => register({ ...registration, propertyId: 'gz-estate' })),
    );
    const numbers = await Promise.all(
      responses.map(async (response) => (await json<{ number: string }>(response)).number),
    );
    const sequences = numbers.map((number) => Number(number.split('-')[2])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(8);
    expect(sequences).toEqual(Array.from({ length: 8 }, (_, i) => sequences[0] + i));
  });

  it('lists every invalid field, and nothing is registered', async () => {
    const before = await json<{ items: unknown[] }>(await call(`${url}?propertyId=sh-tower&limit=200`, key));
    const response = await register({
      ...registration,
      propertyId: 'sh-tower',
      channel: 'fax-machine',
      coComplainantCount: 'two',
      description: 'x'.repeat(10_001),
      nickname: 'extra',
    });
    expect(response.status).toBe(400);
    const problem = await json<Problem>(response);
    expect(problem.type).toBe('/problems/validation-error');
    expect(problem.invalidParams?.map((param) => param.name).sort()).toEqual(
      ['(body)', 'channel', 'coComplainantCount', 'description'].sort(),
    );

    const unknownProperty = await register({ ...registration, propertyId: 'moon-base' });
    expect(unknownProperty.status).toBe(400);
    expect((await json<Problem>(unknownProperty)).invalidParams?.map((param) => param.name)).toEqual(['propertyId']);

    const after = await json<{ items: unknown[] }>(await call(`${url}?propertyId=sh-tower&limit=200`, key));
    expect(after.items).toHaveLength(before.items.length);
  });

  it('closes a complaint answered at first contact at once, without a lifecycle', async () => {
    const response = await register({
      ...registration,
      resolvedAtFirstContact: true,
      firstContactAnswer: '已当场告知营业时间调整',
    });
    const created = await json<{ id: string; status: string }>(response);
    expect(created.status).toBe('closed');
    // Routing still classifies it for the reports; escalation starts nothing.
    const view = await eventually(async () => {
      const body = await json<ComplaintView>(await call(`${url}/${created.id}`, key));
      return body.category ? body : undefined;
    }, 'the classification');
    expect(view).toMatchObject({ status: 'closed', lifecycle: null, category: 'facilities_equipment' });
  });

  it('keeps an append-only, verifiable timeline with notes, and withdraws once', async () => {
    // Received now: the fixture's date is days ago, and its first-reply deadline would breach at once.
    const { id } = await json<{ id: string }>(await register(someoneElse({ receivedAt: new Date().toISOString() })));
    await eventually(async () => {
      const { entries } = await json<{ entries: TimelineEntry[] }>(await call(`${url}/${id}/timeline`, key));
      return entries.some((entry) => entry.type === 'routed') ? true : undefined;
    }, 'the routing entry');

    const note = await call(`${url}/${id}/notes`, key, { body: { text: '客户再次来电催促' } });
    expect(note.status).toBe(201);
    expect(await json<TimelineEntry>(note)).toMatchObject({ type: 'note', details: { text: '客户再次来电催促' } });

    const withdrawn = await call(`${url}/${id}/withdraw`, key, { body: { reason: '已与商户协商解决' } });
    expect(withdrawn.status).toBe(200);
    expect((await json<ComplaintView>(withdrawn)).status).toBe('withdrawn');
    const again = await call(`${url}/${id}/withdraw`, key, { body: {} });
    expect(again.status).toBe(409);

    const { entries } = await json<{ entries: TimelineEntry[] }>(await call(`${url}/${id}/timeline`, key));
    // The lifecycle's own entries (start, escalated …) interleave as its events arrive.
    const ours = entries.filter((entry) => ['registered', 'routed', 'note', 'withdrawn'].includes(entry.type));
    expect(ours.map((entry) => entry.type)).toEqual(['registered', 'routed', 'note', 'withdrawn']);
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, i) => i + 1));
    entries.slice(1).forEach((entry, i) => expect(entry.prevHash).toBe(entries[i].hash));
    expect(ours[2].actor).toMatchObject({ kind: 'partner' });
    // The lifecycle may add its own entry (the withdrawal's transition) between the two reads.
    const verified = await json<{ valid: boolean; entries: number }>(await call(`${url}/${id}/timeline/verify`, key));
    expect(verified.valid).toBe(true);
    expect(verified.entries).toBeGreaterThanOrEqual(entries.length);
    // A page at a time: the pages together are the whole timeline.
    const paged: TimelineEntry[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { entries: TimelineEntry[]; nextCursor: string | null } = await json(
        await call(`${url}/${id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`, key),
      );
      expect(page.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.entries);
      cursor = page.nextCursor;
    }
    // The lifecycle may have added entries since the whole read: those come after, in order.
    expect(paged.map((entry) => entry.seq)).toEqual(paged.map((_, i) => i + 1));
    expect(paged.slice(0, entries.length)).toEqual(entries);
    expect((await call(`${url}/${id}/timeline?limit=501`, key)).status).toBe(400);

    const view = await json<ComplaintView>(await call(`${url}/${id}`, key));
    expect(view.status).toBe('withdrawn');
  });

  it('filters and pages lists with a stable order', async () => {
    const ids: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      const receivedAt = new Date(Date.UTC(2026, 9, 1, 8, minute)).toISOString();
      // Five different matters: five people about one matter would form a collective complaint.
      const response = await register(
        someoneElse({
          propertyId: 'sh-tower',
          channel: minute % 2 ? 'email' : 'phone',
          receivedAt,
          description: MATTERS[minute],
        }),
      );
      ids.push((await json<{ id: string }>(response)).id);
    }
    const window = 'receivedFrom=2026-10-01T08:00:00Z&receivedTo=2026-10-01T09:00:00Z&propertyId=sh-tower';
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await json(
        await call(`${url}?${window}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key),
      );
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const email = await json<{ items: { id: string }[] }>(await call(`${url}?${window}&channel=email`, key));
    expect(email.items.map((item) => item.id)).toEqual([ids[3], ids[1]]);
    const south = await json<{ items: unknown[] }>(await call(`${url}?${window}&regionId=south`, key));
    expect(south.items).toEqual([]);
    // Received three days before now, its 3-hour first reply is missed at once: it shows as overdue;
    // one received now does not.
    const onTime = await json<{ id: string }>(
      await register(someoneElse({ propertyId: 'sh-tower', receivedAt: new Date().toISOString() })),
    );
    const late = await json<{ id: string }>(
      await register(
        someoneElse({ propertyId: 'sh-tower', receivedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }),
      ),
    );
    const overdue = await eventually(
      async () => {
        const page = await json<{ items: { id: string; overdue: boolean }[] }>(
          await call(`${url}?overdue=true&propertyId=sh-tower`, key),
        );
        return page.items.some((item) => item.id === late.id) ? page.items : undefined;
        // Routing, the lifecycle start, the breach and intake's consumer in turn: on a loaded
        // 2-core machine the queue of complaints registered just before takes its time.
      },
      'the breach to mark the complaint overdue',
      90_000,
    );
    expect(overdue.every((item) => item.overdue)).toBe(true);
    expect(overdue.map((item) => item.id)).not.toContain(onTime.id);

    const bad = await call(`${url}?limit=9999&severity=huge`, key);
    expect(bad.status).toBe(400);
    expect((await json<Problem>(bad)).invalidParams?.map((param) => param.name).sort()).toEqual([
      'limit',
      'severity.0',
    ]);
  }, 180_000);

  it('stores attachments with their checksum and hands them back intact', async () => {
    const { id } = await json<{ id: string }>(await register(registration));
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(50_000, 9)]);
    const form = new FormData();
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), '渗水照片.jpg');
    const uploaded = await fetch(`${url}/${id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const attachment = await json<{ id: string; filename: string; size: number; sha256: string }>(uploaded);
    expect(attachment).toMatchObject({
      filename: '渗水照片.jpg',
      size: photo.length,
      sha256: createHash('sha256').update(photo).digest('hex'),
    });

    const listed = await json<{ items: { id: string }[] }>(await call(`${url}/${id}/attachments`, key));
    expect(listed.items.map((item) => item.id)).toEqual([attachment.id]);

    const download = await call(`${url}/${id}/attachments/${attachment.id}`, key);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(download.headers.get('etag')).toBe(`"${attachment.sha256}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);

    const script = new FormData();
    script.append('file', new Blob(['#!/bin/sh'], { type: 'application/x-sh' }), 'run.sh');
    const refused = await fetch(`${url}/${id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: script,
    });
    expect(refused.status).toBe(400);
    expect((await json<Problem>(refused)).invalidParams?.map((param) => param.name)).toEqual(['contentType']);

    const big = new FormData();
    big.append('file', new Blob([Buffer.alloc(ATTACHMENT_LIMIT + 1)], { type: 'application/pdf' }), 'big.pdf');
    const tooBig = await fetch(`${url}/${id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: big,
    });
    expect(tooBig.status).toBe(413);

    expect((await call(`${url}/${id}/attachments/0123456789abcdef01234567`, key)).status).toBe(404);
    const { entries } = await json<{ entries: TimelineEntry[] }>(await call(`${url}/${id}/timeline`, key));
    expect(entries.map((entry) => entry.type)).toContain('attachment_added');
  });

  it('manages master data: a new property numbers with its own code', async () => {
    const put = (what: string, id: string, body: unknown) =>
      call(`${platform.gatewayUrl}/v1/admin/${what}/${id}`, key, { method: 'PUT', body });
    expect((await put('regions', 'west', { name: '西南区域' })).status).toBe(200);
    expect(
      (
        await put('properties', 'cd-mall', {
          regionId: 'west',
          name: '成都广场',
          kind: 'mall',
          code: 'CDM01',
          timeZone: 'Asia/Shanghai',
        })
      ).status,
    ).toBe(200);
    const clash = await put('properties', 'cd-mall-2', { regionId: 'west', name: 'x', kind: 'mall', code: 'CDM01' });
    expect(clash.status).toBe(409);
    const orphan = await put('properties', 'cd-x', { regionId: 'north', name: 'x', kind: 'mall', code: 'CDX01' });
    expect((await json<Problem>(orphan)).invalidParams?.map((param) => param.name)).toEqual(['regionId']);

    const created = await json<{ number: string }>(await register({ ...registration, propertyId: 'cd-mall' }));
    expect(created.number).toMatch(/^CDM01-/);
    const directory = await json<{ properties: { id: string }[] }>(
      await call(`${platform.gatewayUrl}/v1/admin/directory`, key),
    );
    expect(directory.properties.map((property) => property.id)).toEqual(expect.arrayContaining(['cd-mall', 'sh-mall']));
  });
});
