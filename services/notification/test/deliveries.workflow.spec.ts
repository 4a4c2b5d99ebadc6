import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { Case, CaseSchema, CasesRepository } from '../src/cases/cases.repository';
import { ChannelSenders } from '../src/channels/channel-senders';
import {
  DeliveriesRepository,
  Delivery,
  DeliverySchema,
  deliveryId,
  type NewDelivery,
} from '../src/deliveries/deliveries.repository';
import { createDeliveryActivities } from '../src/deliveries/delivery.activities';
import { DispatchDelivery } from '../src/deliveries/dispatch-delivery';
import { createDigestActivities } from '../src/digest/digest.activities';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';
import { digestWorkflow } from '../src/workflows';
import { FAKE_ALIYUN, startFakeProviders, type FakeProviders } from './fake-providers';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const ZONE = 'Asia/Shanghai';

// Deliveries and the digest on Temporal's time-skipping server, with real MongoDB and real
// local SMTP, SMS and webhook servers: retries, dead letters, replay, quiet hours, 17:00.
describe('delivery and digest workflows', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let connection: mongoose.Connection;
  let deliveries: DeliveriesRepository;
  let settings: SettingsRepository;
  let subscriptions: SubscriptionsRepository;
  let cases: mongoose.Model<Case>;
  let dispatch: DispatchDelivery;
  let sink: SmtpSink;
  let providers: FakeProviders;
  let receiver: WebhookReceiver;
  const senders = new ChannelSenders();
  const taskQueue = `notification-test-${randomUUID().slice(0, 8)}`;
  const groupId = 'g-notify';
  const secret = 'a-webhook-secret-of-some-length';
  const directory: v1.ListDirectoryResponse = {
    regions: [],
    properties: [],
    departments: [],
    staff: [
      {
        id: 's-handler',
        groupId,
        name: '李娜',
        roleLevel: 'frontline',
        departmentId: '',
        propertyIds: ['p1'],
        onDuty: true,
        regionId: '',
        email: 'li.na@example.com',
        mobile: '',
        wechatOpenId: '',
        language: 'zh-CN',
      },
    ],
  };

  beforeAll(async () => {
    [sink, providers] = await Promise.all([startSmtpSink(), startFakeProviders()]);
    receiver = await startWebhookReceiver({ secret });
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify') })
      .asPromise();
    deliveries = new DeliveriesRepository(connection.model(Delivery.name, DeliverySchema));
    settings = new SettingsRepository(connection.model(GroupSettings.name, GroupSettingsSchema));
    subscriptions = new SubscriptionsRepository(connection.model(Subscription.name, SubscriptionSchema));
    cases = connection.model(Case.name, CaseSchema);
    await settings.put(
      groupId,
      {
        retry: { maxAttempts: 4, initialBackoffSeconds: 60, maxBackoffSeconds: 3600 },
        email: { smtpUrl: sink.url, from: 'noreply@example.com' },
        sms: {
          provider: 'aliyun',
          endpoint: providers.aliyunEndpoint,
          ...FAKE_ALIYUN,
          signName: '物业服务',
          templates: { receipt: 'SMS_100001' },
        },
      },
      'test',
    );
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    dispatch = new DispatchDelivery(env.client, taskQueue);
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
          // Intake's PersonalDataService answers the complainant's contact at send time.
          contacts: { contactOf: async () => '138 0013 8000' },
        }),
        ...createDigestActivities({
          settings,
          cases: new CasesRepository(cases),
          directory: { directory: async () => directory },
          deliveries,
          dispatch,
        }),
      },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    senders.onApplicationShutdown();
    await connection?.close();
    await Promise.all([sink?.stop(), providers?.stop(), receiver?.stop()]);
  });

  function delivery(overrides: Partial<NewDelivery> & Pick<NewDelivery, 'channel' | 'to'>): NewDelivery {
    const eventId = randomUUID();
    return {
      _id: deliveryId(eventId, 'r', overrides.channel),
      groupId,
      eventId,
      eventType: 'transitioned',
      complaintId: 'c1',
      recipientKind: 'handler',
      recipientId: 's-handler',
      keyId: '',
      template: 'receipt',
      language: 'zh-CN',
      subject: '您的投诉已受理：SHM01-20261123-0001',
      text: '您好，您的投诉已受理。',
      params: { number: 'SHM01-20261123-0001' },
      body: '',
      respectsQuietHours: false,
      timeZone: ZONE,
      ...overrides,
    };
  }

  async function send(planned: NewDelivery, replay = 0): Promise<string> {
    await deliveries.createOnce(planned);
    await dispatch.start(planned._id, replay);
    const id = replay === 0 ? `delivery-${planned._id}` : `delivery-${planned._id}-replay-${replay}`;
    return env.client.workflow.getHandle(id).result() as Promise<string>;
  }

  /** Skips to the next `HH:mm` in Shanghai (test-server time). */
  async function skipTo(hhmm: string): Promise<Date> {
    const now = new Date(await env.currentTimeMs());
    const today = formatInTimeZone(now, ZONE, 'yyyy-MM-dd');
    let target = fromZonedTime(`${today}T${hhmm}:00`, ZONE);
    if (target.getTime() <= now.getTime()) target = new Date(target.getTime() + 24 * 3600_000);
    await env.sleep(target.getTime() - now.getTime());
    return target;
  }

  it('retries a refused mail with backoff and records every attempt', async () => {
    sink.rejectNext(2, 451);
    const planned = delivery({ channel: 'email', to: 'li.na@example.com' });
    expect(await send(planned)).toBe('sent');
    const stored = await deliveries.find(planned._id);
    expect(stored?.status).toBe('sent');
    expect(stored?.attempts.map((attempt) => attempt.ok)).toEqual([false, false, true]);
    expect(`${stored?.attempts[0].providerResponse} ${stored?.attempts[0].error}`).toContain('451');
    const mail = sink.mails.find((candidate) => candidate.headers['x-complaints-delivery'] === planned._id);
    expect(mail).toMatchObject({ subject: planned.subject, to: ['li.na@example.com'] });
  });

  it('gives up after the last attempt, lists the delivery as dead, and sends it on replay', async () => {
    const subscription = await subscriptions.create({
      groupId,
      url: receiver.url,
      events: [],
      secret,
      keyId: 'k1',
      propertyIds: [],
    });
    receiver.failNext(4, 500);
    const planned = delivery({
      channel: 'webhook',
      to: receiver.url,
      recipientKind: 'partner',
      recipientId: subscription._id,
      keyId: 'k1',
      body: JSON.stringify({ id: 'e1', type: 'transitioned' }),
    });
    expect(await send(planned)).toBe('dead');
    const dead = await deliveries.list({ groupId, status: 'dead', keyId: 'k1', limit: 10 });
    expect(dead.map((item) => item._id)).toEqual([planned._id]);
    expect((await deliveries.find(planned._id))?.attempts).toHaveLength(4);

    const replayed = await deliveries.startReplay(groupId, planned._id, 'k1');
    expect(await send(planned, replayed?.replays)).toBe('sent');
    const after = await deliveries.find(planned._id);
    expect(after?.status).toBe('sent');
    expect(after?.attempts.map((attempt) => attempt.number)).toEqual([1, 2, 3, 4, 5]);
    const arrived = receiver.received.filter((request) => request.headers['x-complaints-delivery'] === planned._id);
    expect(arrived.at(-1)).toMatchObject({ verified: true, status: 204 });
  });

  it('holds an SMS to a complainant in quiet hours until 08:00, then sends it', async () => {
    await skipTo('23:00');
    const planned = delivery({
      channel: 'sms',
      // Stored masked; the number sent to comes from intake at send time.
      to: '+86138****8000',
      recipientKind: 'complainant',
      respectsQuietHours: true,
    });
    const handle = send(planned);
    // Waiting for the result lets the server skip to the end of the night: look at when, not at the status.
    const until = await waitFor(async () => (await deliveries.find(planned._id))?.deferredUntil ?? undefined);
    expect(formatInTimeZone(until, ZONE, 'HH:mm')).toBe('08:00');
    expect(await handle).toBe('sent');
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(until.getTime());
    const sms = providers.sms.find((request) => request.params.OutId === planned._id);
    expect(sms?.params).toMatchObject({ PhoneNumbers: '+8613800138000', TemplateCode: 'SMS_100001' });
  });

  it('never sends twice for the same event, recipient and channel', async () => {
    const planned = delivery({ channel: 'email', to: 'li.na@example.com' });
    expect(await send(planned)).toBe('sent');
    expect(await deliveries.createOnce(planned)).toBe(false);
    await dispatch.start(planned._id);
    expect(sink.mails.filter((mail) => mail.headers['x-complaints-delivery'] === planned._id)).toHaveLength(1);
  });

  it('sends each handler their open items at 17:00 every day', async () => {
    await cases.create([
      {
        _id: 'c-open-1',
        groupId,
        number: 'SHM01-1',
        propertyId: 'p1',
        handlerId: 's-handler',
        status: 'investigating',
        severity: 'important',
        deadlines: { resolveBy: new Date().toISOString() },
      },
      {
        _id: 'c-open-2',
        groupId,
        number: 'SHM01-2',
        propertyId: 'p1',
        handlerId: 's-handler',
        status: 'assigned',
        severity: 'general',
      },
      { _id: 'c-closed', groupId, number: 'SHM01-3', propertyId: 'p1', handlerId: 's-handler', status: 'closed' },
    ]);
    await skipTo('16:00');
    const handle = await env.client.workflow.start(digestWorkflow, {
      taskQueue,
      workflowId: `digest-${groupId}`,
      args: [{ groupId }],
    });
    const digests = () => sink.mails.filter((mail) => mail.subject.startsWith('今日待办投诉'));
    await env.sleep(50 * 60_000);
    expect(digests()).toHaveLength(0);
    const fivePm = await skipTo('17:00');
    const first = await waitFor(async () => digests()[0]);
    expect(first.subject).toBe('今日待办投诉（2 件）');
    expect(first.text).toContain('SHM01-1');
    expect(first.text).not.toContain('SHM01-3');
    // The mail arrives just before the activity records it as sent.
    const digestId = `digest:${groupId}:${formatInTimeZone(fivePm, ZONE, 'yyyy-MM-dd')}`;
    await waitFor(async () => {
      const stored = await deliveries.list({ groupId, limit: 50 });
      return stored.find((item) => item.eventId === digestId && item.status === 'sent');
    });

    await skipTo('17:00');
    await waitFor(async () => (digests().length >= 2 ? true : undefined));
    expect(digests()).toHaveLength(2);
    await handle.terminate('test over');
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
