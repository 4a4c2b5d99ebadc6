import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent } from '@complaints/messaging';
import type { DirectoryClient } from '@complaints/service-kit';
import { ChannelSenders } from '../src/channels/channel-senders';
import { OutboundGuard } from '../src/channels/outbound-guard';
import { NotificationConfig } from '../src/config';
import { DeliveriesRepository, Delivery, DeliverySchema } from '../src/deliveries/deliveries.repository';
import { createDeliveryActivities } from '../src/deliveries/delivery.activities';
import { DeliverNow } from '../src/deliveries/deliver-now';
import { DispatchDelivery } from '../src/deliveries/dispatch-delivery';
import { HandoverEventsHandler } from '../src/handover/handover-events.handler';
import { HandoverNotices } from '../src/handover/handover-notices';
import { createHandoverReminderActivities } from '../src/handover/handover-reminder.activities';
import { handoverReminderWorkflowId } from '../src/handover/handover-reminder.workflow';
import { HandoverReminders } from '../src/handover/handover-reminders';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import {
  SuspendedGroup,
  SuspendedGroupSchema,
  SuspendedGroupsRepository,
} from '../src/settings/suspended-groups.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { LOCAL_SEALER, TEST_CONFIG } from './local-secrets';

const groupId = 'g-handover';
/** A group with a rules table of its own, saved before the handover book told anyone. */
const ownRulesGroup = 'g-handover-own-rules';

const staff = (id: string, name: string, roleLevel: string, propertyIds: string[], language = 'zh-CN') =>
  v1.Staff.fromPartial({ id, name, roleLevel, propertyIds, email: `${id}@example.com`, language });
const STAFF = [
  staff('li-na', '李娜', 'frontline', ['p1']),
  staff('wang-lei', '王磊', 'frontline', ['p1'], 'en'),
  staff('zhao-min', '赵敏', 'supervisor', ['p1']),
  staff('chen-jie', '陈杰', 'manager', ['p1']),
  staff('sun-li', '孙丽', 'frontline', ['p2']),
  staff('gao-feng', '高峰', 'regional_gm', []),
  { ...staff('left', '离职', 'frontline', ['p1']), inactive: true },
];
const LI_NA = { kind: 'staff', id: 'li-na', name: '李娜' };

function written(
  group: string,
  entryId: string,
  shift: { start: Date; end: Date },
  extra: Partial<v1.HandoverWritten> = {},
  occurredAt = new Date(),
) {
  return createEvent(
    'handover_written',
    { groupId: group, complaintId: entryId, occurredAt },
    v1.HandoverWritten.fromPartial({
      entryId,
      propertyId: 'p1',
      day: '2026-12-06',
      shiftName: '早班',
      shiftStart: shift.start.toISOString(),
      shiftEnd: shift.end.toISOString(),
      onShift: [LI_NA],
      writtenBy: LI_NA,
      openFollowUps: 2,
      carriedFollowUps: 1,
      openComplaints: 1,
      ...extra,
    }),
  );
}

function signed(entryId: string, ready: boolean) {
  return createEvent(
    'handover_signed',
    { groupId, complaintId: entryId },
    v1.HandoverSigned.fromPartial({
      entryId,
      propertyId: 'p1',
      day: '2026-12-06',
      shiftName: '夜班',
      shiftEnd: '2026-12-07T00:00:00Z',
      signedBy: { kind: 'staff', id: 'wang-lei', name: '王磊' },
      note: '已阅',
      openFollowUps: 1,
      dayEntries: 2,
      daySigned: 2,
      dayReadyForReview: ready,
    }),
  );
}

// The handover book's messages on FerretDB, a real local SMTP server and Temporal's time-skipping
// server: who is told of an entry to sign and of a day to review, and the reminder of an entry
// left unsigned after its shift (a timer per entry). Intake's directory is played by an object.
describe('handover notifications', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let connection: mongoose.Connection;
  let sink: SmtpSink;
  let deliveries: DeliveriesRepository;
  let handler: HandoverEventsHandler;
  let subscriptions: SubscriptionsRepository;
  const taskQueue = `handover-test-${randomUUID().slice(0, 8)}`;
  const senders = new ChannelSenders({
    guard: new OutboundGuard(['127.0.0.0/8']),
    providerHosts: TEST_CONFIG.sending.providerHosts,
  });
  /**
   * How an entry's reminder ended, waited for in real time through a plain client: the test
   * environment's own client lets time run ahead to the other entries' timers while it waits.
   */
  async function ended(entryId: string): Promise<unknown> {
    const plain = new Client({ connection: env.connection, namespace: env.namespace });
    const handle = plain.workflow.getHandle(handoverReminderWorkflowId(entryId));
    const deadline = Date.now() + 20_000;
    while ((await handle.describe()).status.name === 'RUNNING') {
      if (Date.now() > deadline) throw new Error(`the reminder of ${entryId} is still running`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return handle.result();
  }

  const mailsTo = (subject: string) =>
    sink.mails
      .filter((mail) => mail.subject.startsWith(subject))
      .flatMap((mail) => mail.to)
      .sort();

  beforeAll(async () => {
    sink = await startSmtpSink();
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_handover') })
      .asPromise();
    deliveries = new DeliveriesRepository(connection.model(Delivery.name, DeliverySchema));
    const settings = new SettingsRepository(
      connection.model(GroupSettings.name, GroupSettingsSchema),
      LOCAL_SEALER,
      TEST_CONFIG,
    );
    const email = { smtpUrl: sink.url, from: 'noreply@example.com' };
    await settings.put(groupId, { email }, 'test');
    await settings.put(
      ownRulesGroup,
      { email, rules: [{ on: 'received', to: 'handler', template: 'assigned', channels: ['email'] }] },
      'test',
    );
    subscriptions = new SubscriptionsRepository(connection.model(Subscription.name, SubscriptionSchema), LOCAL_SEALER);
    const directory = {
      directory: async (): Promise<v1.ListDirectoryResponse> => ({
        regions: [],
        departments: [],
        staff: STAFF,
        properties: [v1.Property.fromPartial({ id: 'p1', name: '浦江商业广场', timeZone: 'Asia/Shanghai' })],
      }),
    } as unknown as DirectoryClient;
    const suspendedGroups = new SuspendedGroupsRepository(connection.model(SuspendedGroup.name, SuspendedGroupSchema));
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    const dispatch = new DispatchDelivery(env.client, taskQueue);
    const deliverNow = new DeliverNow({ deliveries, settings, senders, dispatch }, { concurrency: 8 });
    const notices = new HandoverNotices(settings, directory, suspendedGroups);
    const config = new NotificationConfig({ PROVIDER_HOSTS: '127.0.0.1,localhost', HANDOVER_REMINDER_HOURS: '2' });
    handler = new HandoverEventsHandler(notices, new HandoverReminders(env.client, taskQueue, config), deliverNow);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../src/workflows'),
      activities: {
        ...createDeliveryActivities({
          deliveries,
          settings,
          subscriptions,
          senders,
          contacts: { contactOf: async () => null },
        }),
        ...createHandoverReminderActivities({ notices, deliverNow }),
      },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await senders.onApplicationShutdown();
    await connection?.close();
    await sink?.stop();
  });

  it('tells the desk of an entry to sign (not the shift that wrote it), once, and the reviewers of a day ready', async () => {
    // A partner subscribed to every event hears nothing of the handover book.
    await subscriptions.create({
      groupId,
      url: 'http://127.0.0.1:9/hook',
      events: [],
      secret: 'a-webhook-secret-of-some-length',
      keyId: 'k-partner',
      propertyIds: [],
      seesConfidential: false,
    });
    const shift = { start: new Date('2026-12-06T00:00:00Z'), end: new Date('2026-12-06T12:00:00Z') };
    const entryId = `ho-${randomUUID()}`;
    const event = written(groupId, entryId, shift);
    await handler.handle(event);
    await sink.waitFor((mail) => mail.to.includes('zhao-min@example.com'));
    expect(mailsTo('交接班待签收')).toEqual(['zhao-min@example.com']);
    // Wang Lei reads English.
    expect(mailsTo('Handover to read and sign')).toEqual(['wang-lei@example.com']);
    const mail = sink.mails.find((one) => one.to.includes('zhao-min@example.com'))!;
    expect(mail.subject).toBe('交接班待签收：浦江商业广场 2026-12-06 早班 08:00–20:00');
    expect(mail.text).toContain('未完成的跟进事项 2 项');
    expect(mail.text).toContain('未办结投诉 1 件');

    // Delivered again, or corrected before it is signed: nobody is told twice.
    await handler.handle(event);
    await handler.handle(written(groupId, entryId, shift, { corrected: true, openFollowUps: 3 }));
    const stored = await deliveries.list({ groupId, limit: 50 });
    expect(stored.map((one) => [one.recipientKind, one.recipientId, one.channel, one.status]).sort()).toEqual([
      ['desk', 'wang-lei', 'email', 'sent'],
      ['desk', 'zhao-min', 'email', 'sent'],
    ]);
    expect(stored.every((one) => one.complaintId === entryId)).toBe(true);

    // A signature that leaves the day unfinished tells nobody; the one that completes it, the reviewers.
    await handler.handle(signed(entryId, false));
    await handler.handle(signed(`ho-${randomUUID()}`, true));
    await sink.waitFor((one) => one.subject.startsWith('工作台帐待审核'));
    expect(mailsTo('工作台帐待审核')).toEqual(['zhao-min@example.com']);
    expect(sink.mails.find((one) => one.subject.startsWith('工作台帐待审核'))?.text).toBe(
      '浦江商业广场 2026-12-06 的 2 份交接班已全部签收，请审核并签署当日工作台帐。',
    );
    const after = await deliveries.list({ groupId, limit: 50 });
    expect(after.filter((one) => one.channel === 'webhook')).toEqual([]);
  });

  it('gives a group with its own rules table the handover book’s default rules', async () => {
    const entryId = `ho-${randomUUID()}`;
    await handler.handle(
      written(ownRulesGroup, entryId, {
        start: new Date('2026-12-06T00:00:00Z'),
        end: new Date('2026-12-06T12:00:00Z'),
      }),
    );
    const stored = await deliveries.list({ groupId: ownRulesGroup, limit: 50 });
    expect(stored.map((one) => one.recipientId).sort()).toEqual(['wang-lei', 'zhao-min']);
    await handler.handle(signed(entryId, false));
  });

  it('reminds the desk and the reviewers (once each) of an entry unsigned two hours after its shift, unless it is signed', async () => {
    const now = await env.currentTimeMs();
    const shift = { start: new Date(now - 11 * 3_600_000), end: new Date(now + 3_600_000) };
    const unsignedId = `ho-${randomUUID()}`;
    const signedId = `ho-${randomUUID()}`;
    const correctedId = `ho-${randomUUID()}`;
    await handler.handle(written(groupId, unsignedId, shift, {}, new Date(now)));
    await handler.handle(written(groupId, signedId, shift, {}, new Date(now)));
    await handler.handle(written(groupId, correctedId, shift, {}, new Date(now)));
    // The third one's shift was written an hour short: corrected to end four hours later.
    await handler.handle(
      written(groupId, correctedId, { ...shift, end: new Date(now + 5 * 3_600_000) }, { corrected: true }),
    );
    const reminded = () =>
      sink.mails.filter(
        (mail) => mail.subject.startsWith('交接班未签收') || mail.subject.startsWith('Handover not signed'),
      );

    // An hour after the shift ended, the second one is signed.
    await env.sleep(2 * 3_600_000);
    await handler.handle(signed(signedId, false));
    expect(reminded()).toHaveLength(0);
    expect(await ended(signedId)).toBe('signed');

    // Two hours after the shift ended: the unsigned one, to the desk (not the writer) and the reviewers.
    await env.sleep(3_600_000 + 60_000);
    expect(await ended(unsignedId)).toBe('reminded');
    await sink.waitFor((mail) => mail.subject.startsWith('Handover not signed'));
    const unsignedDeliveries = (await deliveries.list({ groupId, limit: 100 })).filter(
      (one) => one.complaintId === unsignedId && one.template === 'handover_unsigned',
    );
    // Zhao Min is on the desk and reviews: one message on her channel, not two.
    expect(unsignedDeliveries.map((one) => [one.recipientKind, one.recipientId]).sort()).toEqual([
      ['desk', 'wang-lei'],
      ['desk', 'zhao-min'],
    ]);
    expect(reminded().filter((mail) => mail.to.includes('zhao-min@example.com'))).toHaveLength(1);
    expect(reminded().find((mail) => mail.to.includes('zhao-min@example.com'))?.text).toContain('2 小时后仍未签收');
    expect(reminded().flatMap((mail) => mail.to)).not.toContain('li-na@example.com');

    // The corrected one waits for its new end: not yet, then two hours after it.
    expect(
      (await deliveries.list({ groupId, limit: 100 })).filter(
        (one) => one.complaintId === correctedId && one.template === 'handover_unsigned',
      ),
    ).toEqual([]);
    await env.sleep(4 * 3_600_000);
    expect(await ended(correctedId)).toBe('reminded');
    expect(
      (await deliveries.list({ groupId, limit: 100 })).filter(
        (one) => one.complaintId === correctedId && one.template === 'handover_unsigned',
      ),
    ).toHaveLength(2);
    // A first write delivered again after the reminder starts nothing new.
    await handler.handle(written(groupId, unsignedId, shift, {}, new Date(now)));
    expect(await ended(unsignedId)).toBe('reminded');
    expect(reminded().filter((mail) => mail.to.includes('wang-lei@example.com'))).toHaveLength(2);
  });
});
