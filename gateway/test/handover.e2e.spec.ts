import ExcelJS from 'exceljs';
import { call, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';
import { HANDOVER_CHECKLIST } from '@complaints/domain';

interface StaffRef {
  id: string;
  name: string;
}
interface Item {
  id: string;
  text: string;
  carried: boolean;
  done: boolean;
  doneBy: StaffRef | null;
  doneAt: string | null;
  note: string;
  firstEntryId: string;
}
interface Entry {
  id: string;
  propertyId: string;
  day: string;
  shift: { name: string; start: string; end: string };
  onShift: StaffRef[];
  writtenBy: StaffRef;
  items: Item[];
  checklist: { item: string; checked: boolean; note: string }[];
  openComplaints: { id: string; number: string }[];
  signed: { by: StaffRef; at: string; note: string } | null;
  previousEntryId: string | null;
}
interface Day {
  day: string;
  entries: Entry[];
  entryCount: number;
  signedCount: number;
  review: { by: StaffRef; at: string; note: string } | null;
}
interface Month {
  month: string;
  days: { day: string; entryCount: number; review: object | null }[];
  archived: { by: StaffRef; at: string } | null;
}
interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** The date in Shanghai (no daylight saving) `days` from today. */
const shanghaiDate = (days = 0) =>
  new Date(Date.now() + SHANGHAI_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);
const at = (day: string, time: string) => `${day}T${time}:00+08:00`;
const everyLine = (overrides: Record<string, { checked: boolean; note: string }> = {}) =>
  HANDOVER_CHECKLIST.map((item) => ({ item, ...(overrides[item] ?? { checked: true, note: '' }) }));

// The desk's handover book and work ledger (交接班本, 工作台帐) through the whole platform: the
// outgoing shift writes, the incoming shift signs, unfinished follow-ups are carried until done,
// open complaints are listed, a supervisor reviews the day, a past month is archived, and the
// month's ledger is exported. The demo group: sh-mall and sh-tower in region east.
describe('the handover book and the work ledger', () => {
  let platform: RunningPlatform;
  const token: Record<string, string> = {};
  const complaintNumbers: Record<string, string> = {};
  // The first day of this month in Shanghai: every shift of the test is on it, whatever today is.
  const day = `${shanghaiDate().slice(0, 7)}-01`;
  const url = (path: string) => `${platform.gatewayUrl}${path}`;

  const send = (who: string, path: string, body?: unknown, method?: string) =>
    call(url(path), who === 'key' ? platform.apiKey : token[who], { body, method });
  const json = async <T>(response: Response, status = 200): Promise<T> => {
    const text = await response.text();
    if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const problem = async (response: Response, status: number): Promise<Problem> => json<Problem>(response, status);
  const register = async (propertyId: string, extra: object = {}) => {
    const complaint = await json<{ id: string; number: string }>(
      await send(
        'key',
        '/v1/complaints',
        {
          channel: 'phone',
          propertyId,
          complainant: { name: '张三', contact: '13800138000', type: 'owner' },
          description: '电梯停运半小时无人处理',
          ...extra,
        },
        'POST',
      ),
      201,
    );
    return complaint;
  };
  const entryBody = (overrides: object = {}) => ({
    propertyId: 'sh-mall',
    shift: { name: '夜班', start: at(day, '00:00'), end: at(day, '08:00') },
    onShift: ['s-li-na'],
    items: [],
    residentSituations: '',
    keysAndItems: '',
    notices: '',
    checklist: everyLine(),
    ...overrides,
  });
  const write = (who: string, body: object) => send(who, '/v1/handovers', body, 'POST');
  const sign = (who: string, id: string, note = '') => send(who, `/v1/handovers/${id}/sign`, { note }, 'POST');

  beforeAll(async () => {
    platform = await startTestPlatform('handover');
    for (const staffId of ['s-li-na', 's-wang-lei', 's-zhao-min', 's-sun-li', 's-zhou-qiang', 's-guo-wei'])
      token[staffId] = await signInStaff(platform.oidc, staffId);
    complaintNumbers.mall = (await register('sh-mall')).number;
    complaintNumbers.tower = (await register('sh-tower')).number;
    complaintNumbers.confidential = (
      await register('sh-mall', { confidential: true, confidentialStaffIds: ['s-liu-yang'] })
    ).number;
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  });

  let first: Entry;
  let second: Entry;
  let third: Entry;

  it('takes the outgoing shift’s entry with its follow-ups, checklist and the open complaints of its property', async () => {
    first = await json<Entry>(
      await write(
        's-li-na',
        entryBody({
          items: [{ text: '12楼漏水待工程部回复' }, { text: '302业主快递代收' }],
          residentSituations: '302业主出差至周五，快递代收',
          keysAndItems: '总台钥匙12把，对讲机4台',
          checklist: everyLine({ keys: { checked: false, note: '3号库房钥匙在工程部，未交回' } }),
        }),
      ),
      201,
    );
    expect(first).toMatchObject({
      propertyId: 'sh-mall',
      day,
      onShift: [{ id: 's-li-na' }],
      writtenBy: { id: 's-li-na' },
      signed: null,
      previousEntryId: null,
    });
    expect(first.onShift[0].name).toContain('李娜');
    expect(first.items.map((item) => [item.text, item.carried, item.done])).toEqual([
      ['12楼漏水待工程部回复', false, false],
      ['302业主快递代收', false, false],
    ]);
    expect(first.checklist.find((answer) => answer.item === 'keys')).toEqual({
      item: 'keys',
      checked: false,
      note: '3号库房钥匙在工程部，未交回',
    });
    const listed = first.openComplaints.map((complaint) => complaint.number);
    expect(listed).toContain(complaintNumbers.mall);
    // Another property's, and a confidential one (only for the staff named on it), are not on the desk's book.
    expect(listed).not.toContain(complaintNumbers.tower);
    expect(listed).not.toContain(complaintNumbers.confidential);
  });

  it('refuses entries out of scope, from keys, with a line of the checklist missing, or naming unknown staff', async () => {
    // The next shift's times: the entries refused here would otherwise also start too early.
    const later = (overrides: object = {}) =>
      entryBody({ shift: { name: '早班', start: at(day, '08:00'), end: at(day, '16:00') }, ...overrides });
    expect((await write('s-sun-li', later())).status).toBe(404);
    expect((await write('key', later())).status).toBe(403);
    const missing = await problem(
      await write('s-li-na', later({ checklist: everyLine().filter((answer) => answer.item !== 'items') })),
      400,
    );
    expect(missing.invalidParams?.map((param) => param.name)).toEqual(['checklist']);
    expect(missing.invalidParams?.[0].reason).toContain('missing: items');
    const unknown = await problem(await write('s-li-na', later({ onShift: ['s-li-na', 's-nobody'] })), 400);
    expect(unknown.invalidParams?.map((param) => param.name)).toEqual(['onShift.1']);
  });

  it('waits for the incoming shift: the next entry and the day’s review come only after signing', async () => {
    const next = entryBody({ shift: { name: '早班', start: at(day, '08:00'), end: at(day, '16:00') } });
    expect((await problem(await write('s-wang-lei', next), 409)).detail).toContain('not signed yet');
    // The outgoing shift cannot sign its own handover.
    expect((await sign('s-li-na', first.id)).status).toBe(403);
    expect((await send('s-zhao-min', `/v1/ledgers/sh-mall/${day}/review`, {}, 'POST')).status).toBe(409);
  });

  it('is corrected until signed; the signature takes the complaints open at that moment; then it is read-only', async () => {
    const corrected = await json<Entry>(
      await send(
        's-li-na',
        `/v1/handovers/${first.id}`,
        entryBody({
          items: [...first.items.map((item) => ({ id: item.id })), { text: '周六上午会议室预订待确认' }],
          residentSituations: '302业主出差至周五，快递代收',
          checklist: first.checklist,
        }),
        'PUT',
      ),
    );
    expect(corrected.items.map((item) => item.text)).toEqual([
      '12楼漏水待工程部回复',
      '302业主快递代收',
      '周六上午会议室预订待确认',
    ]);
    const later = await register('sh-mall');
    expect(corrected.openComplaints.map((complaint) => complaint.number)).not.toContain(later.number);

    const signed = await json<Entry>(await sign('s-wang-lei', first.id, '已阅'));
    expect(signed.signed).toMatchObject({ by: { id: 's-wang-lei' }, note: '已阅' });
    expect(signed.openComplaints.map((complaint) => complaint.number)).toContain(later.number);

    expect((await problem(await sign('s-zhao-min', first.id), 409)).detail).toContain('already signed');
    expect((await send('s-li-na', `/v1/handovers/${first.id}`, entryBody(), 'PUT')).status).toBe(409);
    expect(await json<Entry>(await send('s-wang-lei', `/v1/handovers/${first.id}`))).toMatchObject({
      signed: { by: { id: 's-wang-lei' } },
    });
  });

  it('starts the next entry with every unfinished follow-up, until one is marked done', async () => {
    const preview = await json<{ carried: Item[]; openComplaints: { number: string }[]; previousEntryId: string }>(
      await send('s-wang-lei', '/v1/handovers/preview?propertyId=sh-mall'),
    );
    expect(preview.previousEntryId).toBe(first.id);
    expect(preview.carried.map((item) => item.text)).toEqual([
      '12楼漏水待工程部回复',
      '302业主快递代收',
      '周六上午会议室预订待确认',
    ]);
    const parcel = preview.carried[1];
    const shift = { name: '早班', start: at(day, '08:00'), end: at(day, '16:00') };

    const rewritten = await problem(
      await write(
        's-wang-lei',
        entryBody({ shift, onShift: ['s-wang-lei'], items: [{ id: parcel.id, text: '改写的内容' }] }),
      ),
      400,
    );
    expect(rewritten.invalidParams?.[0]?.name).toBe('items.0.text');

    second = await json<Entry>(
      await write(
        's-wang-lei',
        entryBody({
          shift,
          onShift: ['s-wang-lei'],
          items: [{ id: parcel.id, done: true, note: '业主已取件' }, { text: '5楼空调报修' }],
        }),
      ),
      201,
    );
    expect(second.previousEntryId).toBe(first.id);
    expect(second.items.map((item) => [item.text, item.carried, item.done])).toEqual([
      ['12楼漏水待工程部回复', true, false],
      ['302业主快递代收', true, true],
      ['周六上午会议室预订待确认', true, false],
      ['5楼空调报修', false, false],
    ]);
    expect(second.items[1]).toMatchObject({ doneBy: { id: 's-wang-lei' }, note: '业主已取件', firstEntryId: first.id });
    await json<Entry>(await sign('s-li-na', second.id));

    third = await json<Entry>(
      await write(
        's-li-na',
        entryBody({ shift: { name: '中班', start: at(day, '16:00'), end: at(day, '23:59') }, onShift: ['s-li-na'] }),
      ),
      201,
    );
    // The parcel was done on the second entry: it is carried no further.
    expect(third.items.map((item) => [item.text, item.carried])).toEqual([
      ['12楼漏水待工程部回复', true],
      ['周六上午会议室预订待确认', true],
      ['5楼空调报修', true],
    ]);
    await json<Entry>(await sign('s-wang-lei', third.id));
  });

  it('is reviewed for the day by a supervisor of the property, once, and nothing is added to the day after', async () => {
    expect((await send('s-li-na', `/v1/ledgers/sh-mall/${day}/review`, {}, 'POST')).status).toBe(403);
    expect((await send('s-zhou-qiang', `/v1/ledgers/sh-mall/${day}/review`, {}, 'POST')).status).toBe(404);
    expect((await send('key', `/v1/ledgers/sh-mall/${day}/review`, {}, 'POST')).status).toBe(403);
    const reviewed = await json<Day>(
      await send('s-zhao-min', `/v1/ledgers/sh-mall/${day}/review`, { note: '已审核' }, 'POST'),
    );
    expect(reviewed.review).toMatchObject({ by: { id: 's-zhao-min' }, note: '已审核' });
    expect(reviewed.entries.map((entry) => entry.id)).toEqual([first.id, second.id, third.id]);
    expect((await send('s-zhao-min', `/v1/ledgers/sh-mall/${day}/review`, {}, 'POST')).status).toBe(409);

    const late = entryBody({ shift: { name: '加班', start: at(day, '23:00'), end: at(day, '23:30') } });
    expect((await problem(await write('s-li-na', late), 409)).detail).toContain('reviewed');

    const read = await json<Day>(await send('key', `/v1/ledgers/sh-mall/${day}`));
    expect(read).toMatchObject({ day, entryCount: 3, signedCount: 3, review: { by: { id: 's-zhao-min' } } });
    expect((await send('s-sun-li', `/v1/ledgers/sh-mall/${day}`)).status).toBe(404);
    expect((await send('s-li-na', '/v1/ledgers/sh-mall/2026-02-30')).status).toBe(400);
  });

  it('exports the month’s ledger as XLSX and CSV, a row per entry', async () => {
    const month = day.slice(0, 7);
    const summary = await json<Month>(await send('s-li-na', `/v1/ledgers/sh-mall/months/${month}`));
    expect(summary).toMatchObject({
      month,
      days: [{ day, entryCount: 3, review: { by: { id: 's-zhao-min' } } }],
      archived: null,
    });
    // A month is archived after it ends; the desk does not archive.
    expect((await send('s-li-na', `/v1/ledgers/sh-mall/months/${month}/archive`, undefined, 'POST')).status).toBe(403);
    expect(
      (await problem(await send('s-zhao-min', `/v1/ledgers/sh-mall/months/${month}/archive`, undefined, 'POST'), 409))
        .detail,
    ).toContain('after the month ends');

    const response = await send('s-zhao-min', `/v1/ledgers/sh-mall/months/${month}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]
      .getSheetValues()
      .slice(1)
      .map((row) =>
        Array.isArray(row) ? row.slice(1).map((cell: ExcelJS.CellValue) => (typeof cell === 'string' ? cell : '')) : [],
      );
    expect(rows[0][0]).toBe(`工作台帐 ${month}`);
    expect(rows[1].slice(0, 4)).toEqual(['日期', '班次', '当班时间', '当班人员']);
    const data = rows.slice(2);
    expect(data.map((row) => [row[0], row[1]])).toEqual([
      [day, '夜班'],
      [day, '早班'],
      [day, '中班'],
    ]);
    expect(data[0][2]).toBe(`${day} 00:00 – ${day} 08:00`);
    expect(data[0][4]).toContain('302业主快递代收 [转入交接班本跟进]');
    expect(data[1][4]).toMatch(/302业主快递代收 \[已完成: 王磊 Wang Lei .* 业主已取件\]/);
    expect(data[0][8]).toBe('钥匙已交接: 3号库房钥匙在工程部，未交回');
    expect(data[0][9]).toContain(complaintNumbers.mall);
    expect(data.map((row) => row[10])).toEqual([
      expect.stringContaining('王磊'),
      expect.stringContaining('李娜'),
      expect.stringContaining('王磊'),
    ]);
    expect(data.every((row) => row[12].includes('赵敏'))).toBe(true);

    const csv = await send('key', `/v1/ledgers/sh-mall/months/${month}/export?format=csv&language=en`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('Day,Shift,Shift time,On shift');
    expect(text).toContain('302业主快递代收 [done: 王磊 Wang Lei');
  });

  it('archives a past month once every day of it is reviewed; nothing of it changes after', async () => {
    const lastMonth = new Date(`${day}T00:00:00Z`);
    lastMonth.setUTCDate(0);
    const pastDay = `${lastMonth.toISOString().slice(0, 7)}-15`;
    const month = pastDay.slice(0, 7);
    const entry = await json<Entry>(
      await write(
        's-sun-li',
        entryBody({
          propertyId: 'sh-tower',
          shift: { name: '早班', start: at(pastDay, '08:00'), end: at(pastDay, '16:00') },
          onShift: ['s-sun-li'],
          items: [{ text: '大堂灯更换' }],
        }),
      ),
      201,
    );
    await json<Entry>(await sign('s-zhou-qiang', entry.id));
    expect(
      (await problem(await send('s-guo-wei', `/v1/ledgers/sh-tower/months/${month}/archive`, undefined, 'POST'), 409))
        .detail,
    ).toContain(`not yet: ${pastDay}`);
    await json<Day>(await send('s-zhou-qiang', `/v1/ledgers/sh-tower/${pastDay}/review`, {}, 'POST'));
    const archived = await json<Month>(
      await send('s-guo-wei', `/v1/ledgers/sh-tower/months/${month}/archive`, undefined, 'POST'),
    );
    expect(archived.archived).toMatchObject({ by: { id: 's-guo-wei' } });
    expect((await send('s-zhou-qiang', `/v1/ledgers/sh-tower/months/${month}/archive`, undefined, 'POST')).status).toBe(
      409,
    );
    const another = entryBody({
      propertyId: 'sh-tower',
      shift: { name: '中班', start: at(pastDay, '16:00'), end: at(pastDay, '23:00') },
      onShift: ['s-sun-li'],
    });
    expect((await problem(await write('s-sun-li', another), 409)).detail).toContain('archived');
    const exported = await send('s-zhou-qiang', `/v1/ledgers/sh-tower/months/${month}/export?format=csv`);
    expect(await exported.text()).toContain('已归档: 郭伟');
  });
});
