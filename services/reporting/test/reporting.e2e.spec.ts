import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Client, Connection } from '@temporalio/client';
import { v1 } from '@complaints/contracts';
import { call, eventually, startTestPlatform, testServers, type RunningPlatform } from '@complaints/devstack';
import { createEvent, subjectOf, type EventType } from '@complaints/messaging';
import { EXPECTED_W48, GROUP, knownComplaints } from './known-events';

// SPEC §8 against the real servers: a known set of events (shuffled, some twice, one group's
// among another's) goes onto the platform's NATS; the figures, exports, scheduled reports,
// scope isolation and a rebuild from the stream are read back through the gateway.

type Json = Record<string, unknown>;
type Report = {
  period: { start: string; end: string; timeZone: string };
  scope: string;
  figures: typeof EXPECTED_W48;
  breakdowns: Record<string, { key: string; figures: typeof EXPECTED_W48 }[]>;
  recurringProblems: { location: string; count: number }[];
  majorComplaints: { number: string }[];
};

describe('reporting: figures, exports, schedules, scopes and rebuild', () => {
  let platform: RunningPlatform;
  let nc: Awaited<ReturnType<typeof connect>>;
  let db: mongoose.Connection;
  let temporal: Connection;
  const sentinelId = `sentinel-${randomUUID()}`;
  const handoverEntryId = `ho-${randomUUID()}`;

  /** A fresh NATS message id: JetStream takes it as a new message, reporting must see the same event. */
  async function publish(event: v1.EventEnvelope): Promise<void> {
    await jetstream(nc).publish(subjectOf(event.type as EventType), v1.EventEnvelope.encode(event).finish(), {
      msgID: randomUUID(),
    });
  }

  const get = async (path: string, apiKey = platform.apiKey) => call(`${platform.gatewayUrl}${path}`, apiKey);
  const report = async (path: string, apiKey = platform.apiKey): Promise<Report> => {
    const response = await get(path, apiKey);
    expect(response.status).toBe(200);
    return (await response.json()) as Report;
  };

  beforeAll(async () => {
    // Routing, escalation and notification would route, start lifecycles for and notify about the
    // made-up complaints: their events would change the known set.
    platform = await startTestPlatform('reporting', { only: ['intake', 'reporting'] });
    nc = await connect({ servers: platform.natsUrl });
    db = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: platform.services.reporting.database })
      .asPromise();
    temporal = await Connection.connect({ address: testServers().temporalAddress });

    const complaints = knownComplaints();
    const { c1, c2, c3, c4, c5, c6, c7, c8, o1 } = complaints;
    // Out of order: C2 backwards, C3's breach before its registration, C8 before everything.
    const ordered = [
      ...c8.events,
      ...c2.events.slice().reverse(),
      c3.events.at(-2)!,
      ...c3.events.slice(0, -2),
      c3.events.at(-1)!,
      ...c1.events,
      ...c4.events,
      ...o1.events,
      ...c5.events,
      ...c6.events,
      ...c7.events,
    ];
    expect(new Set(ordered.map((event) => event.eventId)).size).toBe(
      Object.values(complaints).reduce((sum, complaint) => sum + complaint.events.length, 0),
    );
    // The desk's handover book publishes on the same stream, about no complaint: never a row.
    await publish(
      createEvent(
        'handover_signed',
        { groupId: GROUP, complaintId: handoverEntryId },
        v1.HandoverSigned.fromPartial({ entryId: handoverEntryId, propertyId: 'sh-mall', day: '2026-11-24' }),
      ),
    );
    for (const event of ordered) await publish(event);
    // Twice: C2's first reply, C4's breach and C1's registration.
    for (const event of [c2.events[5], c4.events[4], c1.events[0]]) await publish(event);
    // A note that changes no figure, counted by the rebuild below.
    await publish(
      createEvent(
        'note_added',
        { groupId: GROUP, complaintId: c1.id, idempotencyKey: sentinelId },
        {
          actor: { kind: 'staff', id: 's-li-na', name: '李娜 Li Na' },
          text: 'sentinel',
          kind: '',
          spotCheck: undefined,
        },
      ),
    );
    const sentinel = createEvent(
      'note_added',
      { groupId: GROUP, complaintId: c1.id, idempotencyKey: sentinelId },
      {
        actor: undefined,
        text: '',
        kind: '',
        spotCheck: undefined,
      },
    ).eventId;
    // Complaints are projected side by side (each one's events in order): wait for every event.
    const published = [...ordered.map((event) => event.eventId), sentinel];
    await eventually(async () => {
      const rows = await db
        .collection<{ eventIds: string[] }>('complaint_facts')
        .find({}, { projection: { eventIds: 1 } })
        .toArray();
      const projected = new Set(rows.flatMap((row) => row.eventIds));
      return published.every((id) => projected.has(id)) ? true : undefined;
    }, 'reporting to project every event');
  }, 180_000);

  afterAll(async () => {
    await temporal?.close();
    await db?.close();
    await nc?.close();
    await platform?.stop();
  });

  it('gives the hand-computed figures for the week, whatever the order and however often events came', async () => {
    const week = await report('/v1/reports/week/2026-W48');
    expect(week.period).toEqual({
      kind: 'week',
      key: '2026-W48',
      start: '2026-11-22T16:00:00.000Z',
      end: '2026-11-29T16:00:00.000Z',
      timeZone: 'Asia/Shanghai',
    });
    expect(week.figures).toEqual(EXPECTED_W48);
    expect(week.recurringProblems).toEqual([expect.objectContaining({ location: 'b1 停车场', count: 3 })]);
    expect(week.majorComplaints.map((complaint) => complaint.number)).toEqual(['SHT01-20261126-0001']);
    expect(week.breakdowns.region.map((row) => [row.key, row.figures.received])).toEqual([
      ['east', 5],
      ['south', 2],
    ]);
    expect(week.breakdowns.channel.map((row) => [row.key, row.figures.received])).toEqual([
      ['email', 1],
      ['phone', 4],
      ['walk_in', 1],
      ['wechat', 1],
    ]);
  });

  it('cuts weeks and months in the group’s time zone, and scopes to a region or property', async () => {
    // C8 arrived Monday 00:30 in Shanghai: week 49, though still Sunday in UTC.
    expect((await report('/v1/reports/week/2026-W49')).figures.received).toBe(1);
    expect((await report('/v1/reports/month/2026-11')).figures.received).toBe(8);
    expect((await report('/v1/reports/half/2026-H2')).figures.received).toBe(8);
    const tower = await report('/v1/reports/week/2026-W48?scope=property:sh-tower');
    expect(tower.figures).toMatchObject({ received: 1, resolutionOnTimeRate: 0, satisfactionRate: 0 });
    expect((await report('/v1/reports/week/2026-W48?scope=region:south')).figures).toMatchObject({
      received: 2,
      closedAtFirstContact: 1,
      withdrawn: 1,
    });
    const bad = await get('/v1/reports/week/2026-W54');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).invalidParams).toEqual([
      { name: 'period', reason: '2026 has ISO weeks 01 to 53, not 2026-W54' },
    ]);
  });

  it('shows a key limited to one property only that property', async () => {
    const created = await call(`${platform.gatewayUrl}/v1/admin/api-keys`, platform.apiKey, {
      body: { name: 'tower desk', propertyIds: ['sh-tower'] },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const own = await report('/v1/reports/week/2026-W48', secret);
    expect(own.scope).toBe('property:sh-tower');
    expect(own.figures.received).toBe(1);
    expect(own.breakdowns.property.map((row) => row.key)).toEqual(['sh-tower']);
    expect((await get('/v1/reports/week/2026-W48?scope=group', secret)).status).toBe(403);
    expect((await get('/v1/reports/week/2026-W48?scope=region:east', secret)).status).toBe(403);
    expect((await get('/v1/reports/week/2026-W48?scope=property:sh-mall', secret)).status).toBe(404);
    expect((await get('/v1/reports/week/2026-W48/export?scope=property:sh-mall', secret)).status).toBe(404);
    expect((await get('/v1/reports/stored', secret)).status).toBe(403);
  });

  async function workbook(response: Response): Promise<ExcelJS.Workbook> {
    expect(response.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    return book;
  }

  /** Summary sheet: figure title → value. */
  function summary(book: ExcelJS.Workbook): Map<string, unknown> {
    const sheet = book.worksheets[0];
    const values = new Map<string, unknown>();
    sheet.eachRow((row, index) => {
      if (index > 1) values.set(row.getCell(1).text, row.getCell(2).value);
    });
    return values;
  }

  it('exports the same numbers to XLSX, summary first and a sheet per breakdown, Chinese intact', async () => {
    const book = await workbook(await get('/v1/reports/week/2026-W48/export?format=xlsx'));
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总',
      '按区域',
      '按项目',
      '按部门',
      '按类别',
      '按等级',
      '按渠道',
      '按处理人',
      '按被投诉员工',
      '重复问题',
      '排行',
      '重大投诉',
    ]);
    const values = summary(book);
    expect(values.get('受理数')).toBe(EXPECTED_W48.received);
    expect(values.get('首次答复平均时长(小时)')).toBe(EXPECTED_W48.firstReplyHoursMean);
    expect(values.get('回访及时率')).toBe(EXPECTED_W48.callbackOnTimeRate);
    expect(values.get('满意率')).toBe(EXPECTED_W48.satisfactionRate);
    expect(values.get('升级至 项目负责人')).toBe(2);
    const byProperty = book.getWorksheet('按项目')!;
    const rows = byProperty.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((row) => [row[1], row[2]])).toEqual([
      ['珠江花园小区 Pearl River Gardens', 2],
      ['浦江商业广场 Pujiang Plaza', 4],
      ['陆家嘴国际大厦 Lujiazui Tower', 1],
    ]);
    const recurring = book.getWorksheet('重复问题')!.getRow(2).values as unknown[];
    expect(recurring.slice(1, 5)).toEqual(['浦江商业广场 Pujiang Plaza', '设施设备', 'b1 停车场', 3]);
  });

  it('exports CSV as UTF-8 with a byte-order mark and the same numbers, in English on request', async () => {
    const response = await get('/v1/reports/week/2026-W48/export?format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines).toContain(
      `受理数,${EXPECTED_W48.received},${'number of complaints received in the period (merged and withdrawn ones included)'}`,
    );
    expect(lines).toContain(
      // sh-mall: C1, C2, C3, C7 (see known-events.ts), every figure in FIGURES order.
      '浦江商业广场 Pujiang Plaza,4,2,1,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,0,1.83,1,4,30,30,50,0.6667,0.6667,0.5,1,0.5,3,3',
    );
    const english = (await (await get('/v1/reports/week/2026-W48/export?format=csv&language=en')).text()).split('\r\n');
    expect(english).toContain(
      `Satisfaction,${EXPECTED_W48.satisfactionRate},${'(satisfied + basically_satisfied) ÷ complaints with a completed callback; the latest callback of each counts'}`,
    );
  });

  it('produces the weekly and monthly reports on schedule, at 09:00 in the group’s zone, stored for download', async () => {
    const client = new Client({ connection: temporal });
    const weekly = client.schedule.getHandle(`${platform.taskQueues.reporting}:${GROUP}:week`);
    const monthly = client.schedule.getHandle(`${platform.taskQueues.reporting}:${GROUP}:month`);
    const next = (await weekly.describe()).info.nextActionTimes[0];
    // Monday 09:00 in Shanghai is Monday 01:00 UTC.
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 1, 0]);
    const nextMonth = (await monthly.describe()).info.nextActionTimes[0];
    expect([new Date(nextMonth.getTime() + 8 * 3_600_000).getUTCDate(), nextMonth.getUTCHours()]).toEqual([1, 1]);

    // Run the schedules as if Monday 30 November and 1 December 09:00 had come.
    await weekly.backfill({ start: new Date('2026-11-30T00:59:00Z'), end: new Date('2026-11-30T01:01:00Z') });
    await monthly.backfill({ start: new Date('2026-12-01T00:59:00Z'), end: new Date('2026-12-01T01:01:00Z') });
    const stored = await eventually(
      async () => {
        const { reports } = (await (await get('/v1/reports/stored')).json()) as {
          reports: { periodKind: string; periodKey: string }[];
        };
        return reports.length === 2 ? reports : undefined;
      },
      'the scheduled reports',
      60_000,
    );
    expect(stored.map((entry) => `${entry.periodKind} ${entry.periodKey}`).sort()).toEqual([
      'month 2026-11',
      'week 2026-W48',
    ]);
    const weekBook = await workbook(await get('/v1/reports/stored/week/2026-W48?format=xlsx'));
    expect(summary(weekBook).get('受理数')).toBe(7);
    const monthCsv = await (await get('/v1/reports/stored/month/2026-11?format=csv')).text();
    expect(monthCsv.split('\r\n')).toContain(
      `受理数,8,${'number of complaints received in the period (merged and withdrawn ones included)'}`,
    );
    expect((await get('/v1/reports/stored/month/2026-10?format=csv')).status).toBe(404);
  }, 90_000);

  it('rebuilds the read models from the stream with identical rollups', async () => {
    // Every stored period fresh first, then the rollups as the durable consumer left them.
    for (const path of ['week/2026-W48', 'week/2026-W49', 'month/2026-11', 'half/2026-H2'])
      await report(`/v1/reports/${path}`);
    const rollups = async () =>
      (await db.collection('rollups').find({ groupId: GROUP }).sort({ _id: 1 }).toArray()).map((rollup) => ({
        _id: rollup._id,
        report: rollup.report as unknown,
      }));
    const before = await rollups();
    expect(before.length).toBeGreaterThan(4);

    const started = await call(`${platform.gatewayUrl}/v1/admin/reports/rebuild`, platform.apiKey, { method: 'POST' });
    expect(started.status).toBe(202);
    const done = await eventually(
      async () => {
        const status = (await (await get('/v1/admin/reports/rebuild')).json()) as Json;
        return status.status === 'running' ? undefined : status;
      },
      'the rebuild',
      60_000,
    );
    expect(done).toMatchObject({ status: 'done', complaints: 8, error: '' });
    expect(await db.collection('complaint_facts').countDocuments({ _id: handoverEntryId as never })).toBe(0);
    // Every event of the group once (the duplicates and the other group's are read, not applied).
    const groupEvents = Object.values(knownComplaints())
      .filter((complaint) => complaint.id !== 'rep-o1')
      .reduce((sum, complaint) => sum + complaint.events.length, 0);
    expect(done.eventsApplied).toBe(groupEvents + 1);
    // Figures are built as they are read: the same periods read again give the same rollups.
    for (const path of ['week/2026-W48', 'week/2026-W49', 'month/2026-11', 'half/2026-H2'])
      await report(`/v1/reports/${path}`);
    expect(await rollups()).toEqual(before);
    expect((await report('/v1/reports/week/2026-W48')).figures).toEqual(EXPECTED_W48);
  }, 90_000);

  it('recuts every period and retimes the schedules when the group changes its report settings', async () => {
    const settings = `${platform.gatewayUrl}/v1/admin/report-settings`;
    const wrong = await call(settings, platform.apiKey, {
      method: 'PUT',
      body: { timeZone: 'Mars/Olympus', recurringThreshold: 3, topItems: 10 },
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Json).invalidParams).toEqual([
      { name: 'timeZone', reason: 'must be an IANA time zone such as Asia/Shanghai' },
    ]);
    const put = await call(settings, platform.apiKey, {
      method: 'PUT',
      body: { timeZone: 'UTC', recurringThreshold: 4, topItems: 2 },
    });
    expect(put.status).toBe(200);
    // In UTC, C8 (Sunday 16:30) falls in week 48; three complaints at B1 are below a threshold of 4.
    const week = (await report('/v1/reports/week/2026-W48')) as Report & { top: { categories: unknown[] } };
    expect(week.period).toMatchObject({ start: '2026-11-23T00:00:00.000Z', timeZone: 'UTC' });
    expect(week.figures.received).toBe(8);
    expect(week.recurringProblems).toEqual([]);
    expect(week.top.categories).toHaveLength(2);
    const weekly = new Client({ connection: temporal }).schedule.getHandle(
      `${platform.taskQueues.reporting}:${GROUP}:week`,
    );
    const next = (await weekly.describe()).info.nextActionTimes[0];
    expect([next.getUTCDay(), next.getUTCHours()]).toEqual([1, 9]);
  });
});
