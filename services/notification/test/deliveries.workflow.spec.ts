import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { Case, CaseMembers, CaseMembersSchema, CaseSchema, CasesRepository } from '../src/cases/cases.repository';
import { ChannelSenders } from '../src/channels/channel-senders';
import { OutboundGuard } from '../src/channels/outbound-guard';
import {
  DeliveriesRepository,
  Delivery,
  DeliverySchema,
  deliveryId,
  type NewDelivery,
} from '../src/deliveries/deliveries.repository';
import { createDeliveryActivities } from '../src/deliveries/delivery.activities';
import { DeliverNow } from '../src/deliveries/deliver-now';
import { DispatchDelivery } from '../src/deliveries/dispatch-delivery';
import { createDigestActivities } from '../src/digest/digest.activities';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';
import { digestWorkflow } from '../src/workflows';
import { FAKE_ALIYUN, startFakeProviders, type FakeProviders } from './fake-providers';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { LOCAL_SEALER, TEST_CONFIG } from './local-secrets';

const ZONE = 'Asia/Shanghai';

// Deliveries and the digest on Temporal's time-skipping server, with real MongoDB and real
// local SMTP, SMS and webhook servers: sent at once in process; retries, dead letters, replay
// and quiet hours through the delivery workflow; the digest at 17:00.
describe('deliveries and the digest', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let connection: mongoose.Connection;
  let deliveries: DeliveriesRepository;
  let settings: SettingsRepository;
  let subscriptions: SubscriptionsRepository;
  let cases: mongoose.Model<Case>;
  let dispatch: DispatchDelivery;
  let deliverNow: DeliverNow;
  let sink: SmtpSink;
  let providers: FakeProviders;
  let receiver: WebhookReceiver;
  // The test's receivers listen on loopback.
  const senders = new ChannelSenders({
    guard: new OutboundGuard(['127.0.0.0/8']),
    providerHosts: TEST_CONFIG.sending.providerHosts,
  });
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
        inactive: false,
        deactivatedAt: '',
        trades: [],
      },
    ],
  };

  beforeAll(async () => {
    [sink, providers] = await Promise.all([startSmtpSink(), startFakeProviders()]);
    receiver = await startWebhookReceiver({ secret });
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify'), monitorCommands: true })
      .asPromise();
    deliveries = new DeliveriesRepository(connection.model(Delivery.name, DeliverySchema));
    settings = new SettingsRepository(
      connection.model(GroupSettings.name, GroupSettingsSchema),
      LOCAL_SEALER,
      TEST_CONFIG,
    );
    subscriptions = new SubscriptionsRepository(connection.model(Subscription.name, SubscriptionSchema), LOCAL_SEALER);
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
    deliverNow = new DeliverNow({ deliveries, settings, senders, dispatch }, { concurrency: 8 });
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
          cases: new CasesRepository(cases, connection.model(CaseMembers.name, CaseMembersSchema)),
          directory: { directory: async () => directory },
          deliverNow,
        }),
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

  /** Skips to the next `HH:mm` in Shanghai (test-server time). */
  async function skipTo(hhmm: string): Promise<Date> {
    const now = new Date(await env.currentTimeMs());
    const today = formatInTimeZone(now, ZONE, 'yyyy-MM-dd');
    let target = fromZonedTime(`${today}T${hhmm}:00`, ZONE);
    if (target.getTime() <= now.getTime()) target = new Date(target.getTime() + 24 * 3600_000);
    await env.sleep(target.getTime() - now.getTime());
    return target;
  }

  /** 14:00 in Shanghai: outside quiet hours, whatever the time of the test server. */
  const afternoon = new Date('2026-11-23T06:00:00Z');

  function workflowOf(id: string, replay = 0) {
    return env.client.workflow.getHandle(replay === 0 ? `delivery-${id}` : `delivery-${id}-replay-${replay}`);
  }

  async function result(id: string, replay = 0): Promise<string> {
    return workflowOf(id, replay).result() as Promise<string>;
  }

  async function hasWorkflow(id: string): Promise<boolean> {
    try {
      await workflowOf(id).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  async function webhookSubscription(keyId: string) {
    return subscriptions.create({
      groupId,
      url: receiver.url,
      events: [],
      secret,
      keyId,
      propertyIds: [],
      seesConfidential: false,
    });
  }

  function webhook(subscriptionId: string, keyId: string): NewDelivery {
    return delivery({
      channel: 'webhook',
      to: receiver.url,
      recipientKind: 'partner',
      recipientId: subscriptionId,
      keyId,
      body: JSON.stringify({ id: randomUUID(), type: 'transitioned' }),
    });
  }

  it('sends a receipt and the assignment at once, in process, without any workflow start', async () => {
    const starts = jest.spyOn(env.client.workflow, 'start');
    try {
      const receipt = delivery({
        channel: 'sms',
        to: '+86138****8000',
        recipientKind: 'complainant',
        recipientId: 'c1',
        respectsQuietHours: true,
      });
      const assigned = delivery({ channel: 'email', to: 'li.na@example.com', template: 'assigned' });
      await deliverNow.deliver([{ delivery: receipt, sendTo: '+8613800138000' }, { delivery: assigned }], afternoon);

      // Sent by the time the call resolves (the consumer acknowledges the event only then).
      const sms = providers.sms.find((request) => request.params.OutId === receipt._id);
      expect(sms?.params).toMatchObject({ PhoneNumbers: '+8613800138000', TemplateCode: 'SMS_100001' });
      expect(sink.mails.some((mail) => mail.headers['x-complaints-delivery'] === assigned._id)).toBe(true);
      for (const planned of [receipt, assigned]) {
        const stored = await deliveries.find(planned._id);
        expect(stored).toMatchObject({ status: 'sent', to: planned.to });
        expect(stored?.attempts).toEqual([expect.objectContaining({ number: 1, ok: true })]);
        expect(await hasWorkflow(planned._id)).toBe(false);
      }
      expect(starts).not.toHaveBeenCalled();
    } finally {
      starts.mockRestore();
    }
  });

  it("stores and records an event's deliveries in two round trips, each document by `_id`", async () => {
    // Settings come from the per-group cache, read once.
    await settings.forGroup(groupId);
    const commands: mongoose.mongo.CommandStartedEvent[] = [];
    const listen = (event: mongoose.mongo.CommandStartedEvent) => {
      if (event.databaseName === connection.db?.databaseName) commands.push(event);
    };
    connection.getClient().on('commandStarted', listen);
    try {
      const planned = ['a@example.com', 'b@example.com', 'c@example.com'].map((to) =>
        delivery({ channel: 'email', to, recipientId: to }),
      );
      await deliverNow.deliver(
        planned.map((item) => ({ delivery: item })),
        afternoon,
      );
      expect(commands.map((command) => command.commandName)).toEqual(['insert', 'update']);
      const updates = (commands[1].command as { updates: { q: Record<string, unknown> }[] }).updates;
      expect(updates.map((update) => update.q)).toEqual(planned.map((item) => ({ _id: item._id })));
    } finally {
      connection.getClient().off('commandStarted', listen);
    }
  });

  it('records the outcomes of events delivered at the same time in shared bulk writes', async () => {
    const events = Array.from({ length: 6 }, (_, index) =>
      delivery({ channel: 'email', to: `e${index}@example.com`, recipientId: `e${index}` }),
    );
    await deliveries.storeAll(events, afternoon);
    const commands: mongoose.mongo.CommandStartedEvent[] = [];
    const listen = (event: mongoose.mongo.CommandStartedEvent) => {
      if (event.databaseName === connection.db?.databaseName) commands.push(event);
    };
    connection.getClient().on('commandStarted', listen);
    try {
      // Six events' handlers at once: the first writes at once, the five ready meanwhile together.
      await Promise.all(
        events.map((planned, index) =>
          deliveries.recordOutcomes([
            {
              id: planned._id,
              status: 'sent',
              attempt: { number: 1, at: afternoon, ok: true, providerResponse: `${index}`, error: '' },
            },
          ]),
        ),
      );
    } finally {
      connection.getClient().off('commandStarted', listen);
    }
    expect(commands.map((command) => command.commandName)).toEqual(['update', 'update']);
    for (const [index, planned] of events.entries()) {
      expect(await deliveries.find(planned._id)).toMatchObject({
        status: 'sent',
        attempts: [expect.objectContaining({ number: 1, ok: true, providerResponse: `${index}` })],
      });
    }
  });

  it('hands a refused mail to its workflow, which retries with backoff and records every attempt', async () => {
    sink.rejectNext(2, 451);
    const planned = delivery({ channel: 'email', to: 'li.na@example.com' });
    await deliverNow.deliver([{ delivery: planned }], afternoon);
    expect((await deliveries.find(planned._id))?.status).toBe('failed');
    expect(await result(planned._id)).toBe('sent');
    const stored = await deliveries.find(planned._id);
    expect(stored?.status).toBe('sent');
    expect(stored?.attempts.map((attempt) => [attempt.number, attempt.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(`${stored?.attempts[0].providerResponse} ${stored?.attempts[0].error}`).toContain('451');
    const mail = sink.mails.find((candidate) => candidate.headers['x-complaints-delivery'] === planned._id);
    expect(mail).toMatchObject({ subject: planned.subject, to: ['li.na@example.com'] });
  });

  it('gives up after the last attempt, lists the delivery as dead, and sends it on replay', async () => {
    const subscription = await webhookSubscription('k1');
    receiver.failNext(4, 500);
    const planned = webhook(subscription._id, 'k1');
    await deliverNow.deliver([{ delivery: planned, secret }], afternoon);
    expect(await result(planned._id)).toBe('dead');
    const dead = await deliveries.list({ groupId, status: 'dead', keyId: 'k1', limit: 10 });
    expect(dead.map((item) => item._id)).toEqual([planned._id]);
    expect((await deliveries.find(planned._id))?.attempts).toHaveLength(4);

    expect(await deliveries.startReplay(groupId, planned._id, 'another-key')).toBeNull();
    expect(await deliveries.startReplay('another-group', planned._id, 'k1')).toBeNull();
    const replayed = await deliveries.startReplay(groupId, planned._id, 'k1');
    await dispatch.start(planned._id, replayed?.replays);
    expect(await result(planned._id, replayed?.replays)).toBe('sent');
    const after = await deliveries.find(planned._id);
    expect(after?.status).toBe('sent');
    expect(after?.attempts.map((attempt) => attempt.number)).toEqual([1, 2, 3, 4, 5]);
    const arrived = receiver.received.filter((request) => request.headers['x-complaints-delivery'] === planned._id);
    expect(arrived.at(-1)).toMatchObject({ verified: true, status: 204 });
  });

  it('records a refusal that will not change as dead at once, without a workflow', async () => {
    const subscription = await webhookSubscription('k-gone');
    receiver.failNext(1, 410);
    const planned = webhook(subscription._id, 'k-gone');
    await deliverNow.deliver([{ delivery: planned, secret }], afternoon);
    const stored = await deliveries.find(planned._id);
    expect(stored?.status).toBe('dead');
    expect(stored?.attempts).toEqual([expect.objectContaining({ number: 1, ok: false })]);
    expect(await hasWorkflow(planned._id)).toBe(false);
  });

  it('holds an SMS to a complainant in quiet hours until 08:00, then sends it', async () => {
    const night = await skipTo('23:00');
    const planned = delivery({
      channel: 'sms',
      // Stored masked; the number sent to comes from intake at send time.
      to: '+86138****8000',
      recipientKind: 'complainant',
      respectsQuietHours: true,
    });
    await deliverNow.deliver([{ delivery: planned, sendTo: '+8613800138000' }], night);
    const deferred = await deliveries.find(planned._id);
    expect(deferred?.status).toBe('deferred');
    expect(providers.sms.some((request) => request.params.OutId === planned._id)).toBe(false);
    const until = deferred?.deferredUntil ?? new Date(0);
    expect(formatInTimeZone(until, ZONE, 'HH:mm')).toBe('08:00');
    expect(await result(planned._id)).toBe('sent');
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(until.getTime());
    const sms = providers.sms.find((request) => request.params.OutId === planned._id);
    expect(sms?.params).toMatchObject({ PhoneNumbers: '+8613800138000', TemplateCode: 'SMS_100001' });
  });

  it('never sends twice for the same event, recipient and channel, and sends what a crash left unsent', async () => {
    const planned = delivery({ channel: 'email', to: 'li.na@example.com' });
    await deliverNow.deliver([{ delivery: planned }], afternoon);
    // The event again (its acknowledgement was lost): the delivery is found sent.
    await deliverNow.deliver([{ delivery: planned }], afternoon);
    expect(sink.mails.filter((mail) => mail.headers['x-complaints-delivery'] === planned._id)).toHaveLength(1);

    // Stored, then the process died before the send: the redelivered event sends it, once.
    const unsent = delivery({ channel: 'email', to: 'li.na@example.com' });
    expect(await deliveries.createOnce(unsent)).toBe(true);
    await deliverNow.deliver([{ delivery: planned }, { delivery: unsent }], afternoon);
    expect(sink.mails.filter((mail) => mail.headers['x-complaints-delivery'] === unsent._id)).toHaveLength(1);
    expect(sink.mails.filter((mail) => mail.headers['x-complaints-delivery'] === planned._id)).toHaveLength(1);
    expect((await deliveries.find(unsent._id))?.attempts).toHaveLength(1);
  });

  it('sends to many recipients side by side, and hands a provider that does not answer to a retry', async () => {
    const subscription = await webhookSubscription('k-slow');
    const timeoutMs = 1_000;
    const slowSenders = new ChannelSenders({
      timeoutMs,
      guard: new OutboundGuard(['127.0.0.0/8']),
      providerHosts: TEST_CONFIG.sending.providerHosts,
    });
    const slow = new DeliverNow({ deliveries, settings, senders: slowSenders, dispatch }, { concurrency: 8 });
    receiver.hangNext(6);
    const planned = Array.from({ length: 6 }, () => webhook(subscription._id, 'k-slow'));
    const started = Date.now();
    await slow.deliver(
      planned.map((item) => ({ delivery: item, secret })),
      afternoon,
    );
    // One after another this would take six timeouts.
    expect(Date.now() - started).toBeLessThan(4 * timeoutMs);
    for (const item of planned) {
      const stored = await deliveries.find(item._id);
      expect(stored?.status).toBe('failed');
      expect(stored?.attempts[0].error).toContain(`no answer within ${timeoutMs} ms`);
      // Handed to its workflow for the durable retry.
      expect(await hasWorkflow(item._id)).toBe(true);
    }
    expect(await result(planned[0]._id)).toBe('sent');
    await slowSenders.onApplicationShutdown();
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
