import ExcelJS from 'exceljs';
import { Client, Connection, type ScheduleHandle } from '@temporalio/client';
import {
  call,
  eventually,
  signInStaff,
  startTestPlatform,
  testServers,
  type RunningPlatform,
} from '@complaints/devstack';
import { FIGURES } from '@complaints/domain';
import { EMAIL_DELIVERY_HEADER } from '../src/channels/email/smtp-email';
import { startSmtpSink, type SinkMail, type SmtpSink } from './smtp-sink';

interface StoredReportView {
  periodKind: string;
  periodKey: string;
  scope: string;
  generatedAt: string;
  deliveries:
    | {
        recipientId: string;
        recipientName: string;
        recipientRole: string;
        address: string;
        status: string;
        attempts: number;
        reason: string;
      }[]
    | null;
}

const GROUP = 'demo-group';
/** ISO week 40 of 2026 in Shanghai: Monday 28 September to Sunday 4 October. */
const WEEK = '2026-W40';
/** Its weekly report is due Monday 5 October, 09:00 in Shanghai. */
const DUE = Date.parse('2026-10-05T01:00:00Z');

// SPEC §8 (reports weekly and monthly by group, region and property) and §7 (delivery recorded)
// on the real servers: the weekly schedule of the demo group runs for a week with complaints at
// three properties in two regions; each scope's report is e-mailed with its XLSX to the heads of
// that scope (through a real SMTP server), a head without an address is recorded as not reached,
// and the deliveries are listed with the stored reports through the gateway. Running the
// schedule again for the same week sends nobody anything twice.
describe('scheduled reports delivered to the heads of each scope', () => {
  let platform: RunningPlatform;
  let sink: SmtpSink;
  let temporal: Connection;
  let weekly: ScheduleHandle;
  const url = (path: string) => `${platform.gatewayUrl}/v1${path}`;

  const stored = async (scope: string, key = platform.apiKey): Promise<StoredReportView[]> => {
    const response = await call(url(`/reports/stored?scope=${scope}`), key);
    expect(response.status).toBe(200);
    return ((await response.json()) as { reports: StoredReportView[] }).reports;
  };

  /** Runs the weekly schedule as if Monday 09:00 after the week had come, and waits for that run to end. */
  const runWeeklySchedule = async (): Promise<void> => {
    const before = (await weekly.describe()).info.recentActions.length;
    await weekly.backfill({ start: new Date(DUE - 60_000), end: new Date(DUE + 60_000) });
    const action = await eventually(
      async () => (await weekly.describe()).info.recentActions[before],
      'the scheduled run to start',
      60_000,
    );
    const { workflowId, firstExecutionRunId } = action.action.workflow;
    await new Client({ connection: temporal }).workflow.getHandle(workflowId, firstExecutionRunId).result();
  };

  const mailsTo = (address: string): SinkMail[] =>
    sink.mails.filter((mail) => mail.to.includes(address) && mail.subject.includes(WEEK));

  async function summaryOf(mail: SinkMail): Promise<Map<string, unknown>> {
    expect(mail.attachments).toHaveLength(1);
    const [file] = mail.attachments;
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.content as unknown as ExcelJS.Buffer);
    // In the group's report language (English here): the summary sheet first.
    expect(book.worksheets[0].name).toBe('Summary');
    const values = new Map<string, unknown>();
    book.worksheets[0].eachRow((row, index) => {
      if (index > 1) values.set(row.getCell(1).text, row.getCell(2).value);
    });
    return values;
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    // Routing and escalation would act on the complaints: not needed for their figures.
    platform = await startTestPlatform('report-deliveries', { only: ['intake', 'notification', 'reporting'] });
    temporal = await Connection.connect({ address: testServers().temporalAddress });
    const key = platform.apiKey;
    const put = async (path: string, body: unknown) => {
      const response = await call(url(path), key, { method: 'PUT', body });
      if (response.status !== 200) throw new Error(`PUT ${path} answered ${response.status}: ${await response.text()}`);
    };
    await put('/admin/notification-settings', {
      quietHours: null,
      retry: { maxAttempts: 2, initialBackoffSeconds: 1, maxBackoffSeconds: 2 },
      email: { smtpUrl: sink.url, from: '"Complaints reports" <reports@example.com>' },
    });
    await put('/admin/report-settings', {
      timeZone: 'Asia/Shanghai',
      recurringThreshold: 3,
      topItems: 10,
      language: 'en',
    });
    // The head of the estate has no e-mail address (any more).
    await put('/admin/staff/s-he-jun', {
      name: '何军 He Jun',
      roleLevel: 'property_head',
      departmentId: '',
      propertyIds: ['gz-estate'],
      onDuty: true,
      email: '',
      language: 'zh-CN',
    });
    // Two at the mall and one at the tower (east), one at the estate (south), in the week.
    for (const [propertyId, receivedAt] of [
      ['sh-mall', '2026-09-28T10:00:00+08:00'],
      ['sh-mall', '2026-09-30T15:00:00+08:00'],
      ['sh-tower', '2026-10-02T09:30:00+08:00'],
      ['gz-estate', '2026-10-04T20:00:00+08:00'],
    ]) {
      const response = await call(url('/complaints'), key, {
        body: {
          propertyId,
          channel: 'phone',
          receivedAt,
          complainant: { name: '王五', contact: '13800138001', type: 'owner' },
          description: '电梯经常停运',
        },
      });
      if (response.status !== 201)
        throw new Error(`registration answered ${response.status}: ${await response.text()}`);
    }
    await eventually(async () => {
      const response = await call(url(`/reports/week/${WEEK}`), key);
      const report = (await response.json()) as { figures?: { received: number } };
      return report.figures?.received === 4 ? true : undefined;
    }, 'reporting to count the week’s complaints');
    // Reporting created the group's schedules when it heard of the group.
    weekly = new Client({ connection: temporal }).schedule.getHandle(`${platform.taskQueues.reporting}:${GROUP}:week`);
    await eventually(() => weekly.describe(), 'the weekly schedule');
  }, 180_000);

  afterAll(async () => {
    await weekly?.delete().catch(() => undefined);
    await temporal?.close();
    await platform?.stop();
    await sink?.stop();
  });

  it('mails each scope’s report with its XLSX to the heads of that scope, in the group’s language', async () => {
    await runWeeklySchedule();
    const heads = {
      group: 'guo.wei@demo-group.example',
      'region:east': 'gao.feng@demo-group.example',
      'region:south': 'ma.hui@demo-group.example',
      'property:sh-mall': 'liu.yang@demo-group.example',
      'property:sh-tower': 'wu.fang@demo-group.example',
    };
    const received: Record<string, unknown> = {};
    for (const [scope, address] of Object.entries(heads)) {
      const mail = await sink.waitFor((candidate) => candidate.to.includes(address), 30_000);
      expect(mail.headers[EMAIL_DELIVERY_HEADER.toLowerCase()]).toMatch(/^[0-9a-f]{32}$/);
      const summary = await summaryOf(mail);
      expect(summary.get('Scope')).toBe(scope);
      received[scope] = summary.get(FIGURES.received.title.en);
    }
    // Each head receives their own scope's figures only.
    expect(received).toEqual({
      group: 4,
      'region:east': 3,
      'region:south': 1,
      'property:sh-mall': 2,
      'property:sh-tower': 1,
    });
    const mall = mailsTo(heads['property:sh-mall']);
    expect(mall.map((mail) => mail.subject)).toEqual([`Complaints weekly report: 浦江商业广场 Pujiang Plaza ${WEEK}`]);
    expect(mall[0].text).toContain('(2026-09-28 to 2026-10-04)');
    expect(mailsTo(heads.group)[0].subject).toBe(`Complaints weekly report: Group ${WEEK}`);
    // Nobody else was sent a report: one mail per head.
    expect(sink.mails.filter((mail) => mail.subject.includes(WEEK))).toHaveLength(5);
  }, 120_000);

  it('records each delivery, lists it with the stored report, and says why a head was not reached', async () => {
    const mall = await eventually(async () => {
      const [report] = await stored('property:sh-mall');
      return report?.deliveries?.[0]?.status === 'sent' ? report : undefined;
    }, 'the mall report’s delivery recorded as sent');
    expect(mall).toMatchObject({ periodKind: 'week', periodKey: WEEK, scope: 'property:sh-mall' });
    expect(mall.deliveries).toEqual([
      {
        recipientId: 's-liu-yang',
        recipientName: '刘洋 Liu Yang',
        recipientRole: 'property_head',
        address: expect.stringMatching(/^l\*+@demo-group\.example$/) as unknown,
        status: 'sent',
        attempts: 1,
        at: expect.any(String) as unknown,
        reason: '',
      },
    ]);
    const [estate] = await stored('property:gz-estate');
    expect(estate.deliveries).toEqual([
      expect.objectContaining({
        recipientId: 's-he-jun',
        address: '',
        status: 'dead',
        reason: 'no e-mail address in the directory',
      }),
    ]);
    const [group] = await stored('group');
    expect(group.deliveries?.map((delivery) => [delivery.recipientId, delivery.recipientRole])).toEqual([
      ['s-guo-wei', 'group_hq'],
    ]);
    const [south] = await stored('region:south');
    expect(south.deliveries?.map((delivery) => delivery.recipientId)).toEqual(['s-ma-hui']);

    // The stored file is the one mailed: downloadable for the scope.
    const file = await call(url(`/reports/stored/week/${WEEK}?scope=property:sh-tower&format=csv`), platform.apiKey);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('property:sh-tower');
  });

  it('shows a property head their property’s reports and deliveries, not another property’s', async () => {
    const head = await signInStaff(platform.oidc, 's-liu-yang');
    const [own] = await stored('property:sh-mall', head);
    expect(own.deliveries?.map((delivery) => delivery.recipientId)).toEqual(['s-liu-yang']);
    expect((await call(url('/reports/stored?scope=property:gz-estate'), head)).status).toBe(404);
    expect((await call(url('/reports/stored?scope=group'), head)).status).toBe(403);
  });

  it('sends nobody a report twice when the week’s run is made again', async () => {
    const before = sink.mails.length;
    await runWeeklySchedule();
    // The run handed every report over again; each delivery was there already.
    const [mall] = await stored('property:sh-mall');
    expect(mall.deliveries).toEqual([
      expect.objectContaining({ recipientId: 's-liu-yang', status: 'sent', attempts: 1 }),
    ]);
    expect(sink.mails.length).toBe(before);
    expect(mailsTo('liu.yang@demo-group.example')).toHaveLength(1);
  }, 120_000);
});
