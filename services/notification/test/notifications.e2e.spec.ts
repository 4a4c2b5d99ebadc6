import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import {
  type RunningPlatform,
  call,
  eventually,
  signInStaff,
  startTestPlatform,
  testServers,
} from '@complaints/devstack';
import { HANDOVER_CHECKLIST } from '@complaints/domain';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { v1 } from '@complaints/contracts';
import { EventBus, payloadOf, subjectOf, type RunningConsumer } from '@complaints/messaging';
import { FAKE_ALIYUN, FAKE_WECHAT, startFakeProviders, type FakeProviders } from './fake-providers';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

interface DeliveryView {
  id: string;
  eventType: string;
  recipientKind: string;
  address: string;
  channel: string;
  template: string;
  language: string;
  status: string;
  attempts: { number: number; ok: boolean }[];
}

// SPEC §7 through the whole platform: who hears of a complaint, on which channel, recorded.
describe('notifications end to end', () => {
  let platform: RunningPlatform;
  let sink: SmtpSink;
  let providers: FakeProviders;
  let receiver: WebhookReceiver;
  let flaky: WebhookReceiver;
  let bus: EventBus;
  let capture: RunningConsumer;
  const transitions: v1.EventEnvelope[] = [];
  const secret = 'partner-webhook-secret-0123456789';
  let url: string;
  let key: string;

  beforeAll(async () => {
    [sink, providers, receiver, flaky] = await Promise.all([
      startSmtpSink(),
      startFakeProviders(),
      startWebhookReceiver({ secret }),
      startWebhookReceiver({ secret }),
    ]);
    platform = await startTestPlatform('notifications');
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
    bus = await EventBus.connect({ url: platform.natsUrl, name: 'notifications-e2e' });
    capture = await bus.consume({ name: 'test-capture-transitions', types: ['transitioned'] }, async (event) => {
      transitions.push(event);
    });
    const templates = {
      receipt: 'SMS_1',
      progress: 'SMS_2',
      result: 'SMS_3',
      closed: 'SMS_4',
      merged: 'SMS_5',
      survey: 'SMS_6',
    };
    const put = await call(`${url}/admin/notification-settings`, key, {
      method: 'PUT',
      body: {
        // The test runs at any hour: quiet hours have their own test under time skipping.
        quietHours: null,
        retry: { maxAttempts: 2, initialBackoffSeconds: 1, maxBackoffSeconds: 2 },
        email: { smtpUrl: sink.url, from: '"物业服务中心" <noreply@example.com>' },
        sms: {
          provider: 'aliyun',
          endpoint: providers.aliyunEndpoint,
          ...FAKE_ALIYUN,
          signName: '物业服务',
          templates,
        },
        wechat: { apiBase: providers.wechatApiBase, ...FAKE_WECHAT, templates: { assigned: 'tmpl-assigned' } },
      },
    });
    expect(put.status).toBe(200);
    const stored = (await put.json()) as { sms: { accessKeySecret: string } };
    expect(stored.sms.accessKeySecret).toBe('********');
  });
  afterAll(async () => {
    await capture?.stop();
    await bus?.close();
    await platform?.stop();
    await Promise.all([sink?.stop(), providers?.stop(), receiver?.stop(), flaky?.stop()]);
  });

  async function register(body: Record<string, unknown>): Promise<{ id: string; number: string }> {
    const response = await call(`${url}/complaints`, key, {
      body: { propertyId: 'sh-mall', channel: 'phone', description: '停车场收费标准不清楚', ...body },
    });
    if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { id: string; number: string };
  }

  const deliveriesOf = async (id: string) =>
    ((await (await call(`${url}/complaints/${id}/notifications`, key)).json()) as { deliveries: DeliveryView[] })
      .deliveries;

  it('tells the complainant by SMS, the handler by email, and subscribed partners by signed webhook', async () => {
    const subscribed = await call(`${url}/webhooks/subscriptions`, key, {
      body: { url: receiver.url, events: ['registered', 'transitioned', 'note_added'], secret },
    });
    expect(subscribed.status).toBe(201);
    const complaint = await register({
      complainant: { name: '张三', contact: '138 0013 8000', type: 'consumer' },
    });

    const sms = await eventually(
      async () => providers.sms.find((request) => (request.params.TemplateParam ?? '').includes(complaint.number)),
      'the receipt SMS',
    );
    expect(sms.params).toMatchObject({ PhoneNumbers: '+8613800138000', TemplateCode: 'SMS_1', SignName: '物业服务' });
    const mail = await sink.waitFor((candidate) => candidate.subject === `新投诉待处理：${complaint.number}`, 30_000);
    expect(mail.to[0]).toMatch(/@demo-group\.example$/);
    expect(mail.text).toContain('浦江商业广场');
    // Staff hear of the case, never the complainant's number.
    expect(mail.text).not.toContain('13800138000');
    // The sh-mall frontline staff have WeChat too: the same assignment as a template message.
    const wechat = await eventually(
      async () => providers.wechat.find((request) => JSON.stringify(request.body.data).includes(complaint.number)),
      'the WeChat template message',
    );
    expect(wechat.body.template_id).toBe('tmpl-assigned');
    expect(wechat.body.touser).toMatch(/^os_/);

    const hooks = await eventually(async () => {
      const mine = receiver.received.filter((request) => request.body.includes(complaint.id));
      return mine.length >= 2 ? mine : undefined;
    }, 'the webhook deliveries');
    expect(hooks.every((request) => request.verified)).toBe(true);
    const registered = hooks.find((request) => request.headers['x-complaints-event'] === 'registered');
    expect(registered?.body).toContain(complaint.number);
    expect(registered?.body).not.toContain('13800138000');

    const recorded = await eventually(async () => {
      const list = await deliveriesOf(complaint.id);
      return list.filter((item) => item.status === 'sent').length >= 5 ? list : undefined;
    }, 'the recorded deliveries');
    const smsRecord = recorded.find((item) => item.channel === 'sms');
    expect(smsRecord).toMatchObject({ recipientKind: 'complainant', template: 'receipt', status: 'sent' });
    expect(smsRecord?.address).not.toContain('0013800');
    expect(smsRecord?.attempts).toEqual([expect.objectContaining({ number: 1, ok: true })]);

    // Sent in process by the consumer: no delivery workflow for any of them.
    const connection = await Connection.connect({ address: testServers().temporalAddress });
    try {
      const temporal = new Client({ connection });
      for (const item of recorded) {
        await expect(temporal.workflow.getHandle(`delivery-${item.id}`).describe()).rejects.toBeInstanceOf(
          WorkflowNotFoundError,
        );
      }
    } finally {
      await connection.close();
    }
  });

  it('writes to an English-speaking complainant in English', async () => {
    const complaint = await register({
      language: 'en',
      complainant: { name: 'Jane Doe', contact: 'jane@example.com', type: 'consumer' },
    });
    const mail = await sink.waitFor(
      (candidate) => candidate.subject === `Your complaint ${complaint.number} has been received`,
      30_000,
    );
    expect(mail.to).toEqual(['jane@example.com']);
    expect(mail.text).toContain('Pujiang Plaza');
  });

  it('sends nothing twice when an event is delivered again', async () => {
    const complaint = await register({ complainant: { name: '李四', contact: '13900139000', type: 'consumer' } });
    const start = await eventually(
      async () =>
        transitions.find(
          (event) => event.complaintId === complaint.id && payloadOf(event, 'transitioned')?.action === 'start',
        ),
      'the lifecycle start',
    );
    const receipts = () => providers.sms.filter((request) => request.params.PhoneNumbers === '+8613900139000');
    await eventually(async () => (receipts().length === 1 ? true : undefined), 'the receipt');
    // The same event again, as after an acknowledgement lost past JetStream's duplicate window:
    // a fresh Nats-Msg-Id, so JetStream stores it, with the same event id inside.
    const nc = await connect({ servers: platform.natsUrl });
    await jetstream(nc).publish(subjectOf('transitioned'), v1.EventEnvelope.encode(start).finish(), {
      msgID: randomUUID(),
    });
    await nc.drain();
    // Notification handles events in order: once the note's webhook is here, the copy was handled too.
    const note = await call(`${url}/complaints/${complaint.id}/notes`, key, { body: { text: 'marker' } });
    expect(note.status).toBe(201);
    await eventually(
      async () =>
        receiver.received.some(
          (request) => request.headers['x-complaints-event'] === 'note_added' && request.body.includes(complaint.id),
        )
          ? true
          : undefined,
      'the note webhook',
    );
    expect(receipts()).toHaveLength(1);
  });

  it('retries a failing partner endpoint, lists the dead delivery, and replays it', async () => {
    const subscribed = await call(`${url}/webhooks/subscriptions`, key, {
      body: { url: flaky.url, events: ['note_added'], secret },
    });
    expect(subscribed.status).toBe(201);
    const { id: subscriptionId } = (await subscribed.json()) as { id: string };
    flaky.failNext(2, 503);
    const complaint = await register({ complainant: { name: '王五', contact: 'wang@example.com', type: 'consumer' } });
    expect((await call(`${url}/complaints/${complaint.id}/notes`, key, { body: { text: '请尽快处理' } })).status).toBe(
      201,
    );

    const dead = await eventually(async () => {
      const answer = (await (await call(`${url}/webhooks/deliveries?status=dead`, key)).json()) as {
        deliveries: DeliveryView[];
      };
      return answer.deliveries.find((item) => item.eventType === 'note_added' && item.recipientKind === 'partner');
    }, 'the delivery to be dead');
    expect(dead.attempts.map((attempt) => attempt.ok)).toEqual([false, false]);

    const replay = await call(`${url}/webhooks/deliveries/${dead.id}/replay`, key, { method: 'POST' });
    expect(replay.status).toBe(202);
    const arrived = await flaky.waitFor(
      (request) => request.status === 204 && request.body.includes(complaint.id),
      30_000,
    );
    expect(arrived.verified).toBe(true);
    expect(arrived.headers['x-complaints-delivery']).toBe(dead.id);
    await eventually(async () => {
      const list = await deliveriesOf(complaint.id);
      return list.find((item) => item.id === dead.id && item.status === 'sent') ? true : undefined;
    }, 'the replayed delivery to be sent');

    expect((await call(`${url}/webhooks/deliveries/no-such-delivery/replay`, key, { method: 'POST' })).status).toBe(
      404,
    );
    expect((await call(`${url}/webhooks/subscriptions/${subscriptionId}`, key, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${url}/webhooks/subscriptions/${subscriptionId}`, key, { method: 'DELETE' })).status).toBe(404);
  });

  it("stops a revoked key's subscriptions, and lets a group-wide admin see and stop anyone's", async () => {
    const made = await call(`${url}/admin/api-keys`, key, { body: { name: 'partner hotline' } });
    const partner = (await made.json()) as { id: string; secret: string };
    const subscribe = async (apiKey: string) => {
      const answer = await call(`${url}/webhooks/subscriptions`, apiKey, {
        body: { url: flaky.url, events: ['note_added'], secret },
      });
      expect(answer.status).toBe(201);
      return ((await answer.json()) as { id: string }).id;
    };
    const first = await subscribe(partner.secret);
    const second = await subscribe(partner.secret);
    const all = async () =>
      (
        (await (await call(`${url}/admin/webhooks/subscriptions`, key)).json()) as { subscriptions: { id: string }[] }
      ).subscriptions.map((subscription) => subscription.id);
    expect(await all()).toEqual(expect.arrayContaining([first, second]));
    // Not for the partner's own key, which is no group-wide admin.
    expect((await call(`${url}/admin/webhooks/subscriptions`, partner.secret)).status).toBe(403);

    expect((await call(`${url}/admin/webhooks/subscriptions/${first}`, key, { method: 'DELETE' })).status).toBe(204);
    expect(await all()).not.toContain(first);
    expect((await call(`${url}/admin/api-keys/${partner.id}`, key, { method: 'DELETE' })).status).toBe(204);
    expect(await all()).not.toContain(second);
  });

  it("sends a confidential complaint's events only to the keys that may see it", async () => {
    const [mine, theirs] = await Promise.all([startWebhookReceiver({ secret }), startWebhookReceiver({ secret })]);
    try {
      const made = await call(`${url}/admin/api-keys`, key, { body: { name: 'facility partner' } });
      const partner = (await made.json()) as { secret: string };
      // The platform's admin key sees confidential complaints in its API; a plain key does not.
      for (const [apiKey, target] of [
        [key, mine],
        [partner.secret, theirs],
      ] as const) {
        const answer = await call(`${url}/webhooks/subscriptions`, apiKey, {
          body: { url: target.url, events: ['registered'], secret },
        });
        expect(answer.status).toBe(201);
      }
      const complainant = { name: '李四', contact: '139 0013 9000', type: 'consumer' };
      const confidential = await register({ complainant, confidential: true, confidentialStaffIds: ['s-li-na'] });
      const open = await register({ complainant });
      const heard = (target: WebhookReceiver, id: string) =>
        eventually(async () => target.received.find((request) => request.body.includes(id)), `the webhook of ${id}`);
      await heard(mine, confidential.id);
      await heard(theirs, open.id);
      // Planned together with the admin key's delivery, had it been planned at all.
      const planned = await deliveriesOf(confidential.id);
      expect(planned.filter((item) => item.channel === 'webhook').map((item) => item.address)).not.toContain(
        theirs.url,
      );
      expect(theirs.received.some((request) => request.body.includes(confidential.id))).toBe(false);
    } finally {
      await Promise.all([mine.stop(), theirs.stop()]);
    }
  });

  it('sends the complainant the survey link by SMS, which answers the callback once, without a key', async () => {
    const complaint = await register({
      description: '洗手间的烘手机坏了一个月',
      complainant: { name: '孙八', contact: '13800138011', type: 'consumer' },
    });
    const act = (path: string, body: Record<string, unknown>) =>
      call(`${url}/complaints/${complaint.id}/${path}`, key, { body });
    await eventually(async () => {
      const response = await act('acknowledge', { staffId: 's-li-na', reply: '您好，已收到' });
      return response.status === 200 || undefined;
    }, 'the lifecycle to start');
    expect((await act('resolve', { staffId: 's-li-na', liability: 'responsible', result: '已修好' })).status).toBe(200);
    expect((await act('survey', { staffId: 's-zhao-min' })).status).toBe(200);

    const sms = await eventually(
      async () =>
        providers.sms.find(
          (request) => request.params.TemplateCode === 'SMS_6' && request.params.PhoneNumbers === '+8613800138011',
        ),
      'the survey SMS',
    );
    const { link } = JSON.parse(sms.params.TemplateParam) as { link: string };
    const page = `${platform.gatewayUrl}/console/survey/`;
    expect(link.startsWith(page)).toBe(true);
    const survey = `${url}/surveys/${link.slice(page.length)}`;
    expect(await (await call(survey, undefined)).json()).toEqual({
      number: complaint.number,
      survey: 1,
      answered: false,
    });
    expect((await call(survey, undefined, { body: { satisfaction: 'satisfied' } })).status).toBe(200);
    expect((await call(survey, undefined, { body: { satisfaction: 'satisfied' } })).status).toBe(409);
    const view = (await (await call(`${url}/complaints/${complaint.id}`, key)).json()) as { status: string };
    expect(view.status).toBe('callback_done');
  });

  it('refuses settings that are wrong, naming the field', async () => {
    const wrong = await call(`${url}/admin/notification-settings`, key, {
      method: 'PUT',
      body: { quietHours: { start: '25:00', end: '08:00' } },
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('quietHours.start');
  });
  it('tells the desk of a handover to sign and the supervisor of a day to review, and no partner', async () => {
    // Partners hear of complaints, not of the desk's handover book: they cannot ask for it.
    const refused = await call(`${url}/webhooks/subscriptions`, key, {
      body: { url: receiver.url, events: ['handover_written'], secret },
    });
    expect(refused.status).toBe(400);
    const everything = await call(`${url}/webhooks/subscriptions`, key, {
      body: { url: receiver.url, events: [], secret },
    });
    expect(everything.status).toBe(201);
    const [liNa, wangLei] = await Promise.all([
      signInStaff(platform.oidc, 's-li-na'),
      signInStaff(platform.oidc, 's-wang-lei'),
    ]);
    // Yesterday's night shift in Shanghai: the day is over once the incoming shift signs.
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const written = await call(`${url}/handovers`, liNa, {
      body: {
        propertyId: 'sh-mall',
        shift: { name: '夜班', start: `${yesterday}T16:00:00+08:00`, end: `${yesterday}T23:59:00+08:00` },
        onShift: ['s-li-na'],
        items: [{ text: '3号电梯异响待维保确认' }],
        residentSituations: '',
        keysAndItems: '',
        notices: '',
        checklist: HANDOVER_CHECKLIST.map((item) => ({ item, checked: true, note: '' })),
      },
    });
    expect(written.status).toBe(201);
    const entry = (await written.json()) as { id: string };
    const toSign = await sink.waitFor(
      (mail) =>
        mail.to.includes('wang.lei@demo-group.example') && /交接班待签收|Handover to read and sign/.test(mail.subject),
      30_000,
    );
    expect(toSign.text).toMatch(/1 项|1 follow-ups/);
    expect(
      sink.mails
        .filter((mail) => /交接班待签收|Handover to read and sign/.test(mail.subject))
        .flatMap((mail) => mail.to),
    ).not.toContain('li.na@demo-group.example');

    const signed = await call(`${url}/handovers/${entry.id}/sign`, wangLei, { body: { note: '已阅' } });
    expect(signed.status).toBe(200);
    const toReview = await sink.waitFor(
      (mail) => /工作台帐待审核|Work ledger ready for review/.test(mail.subject),
      30_000,
    );
    expect(toReview.to).toEqual(['zhao.min@demo-group.example']);
    expect(toReview.text).toContain(yesterday);
    // Nothing of it reached the partner subscribed to every event.
    expect(receiver.received.filter((request) => request.body.includes(entry.id))).toEqual([]);
  });

  it('tells the assignee of a work order raised and dispatched through the gateway, and no partner', async () => {
    const raised = await call(`${url}/work-orders`, key, {
      body: {
        propertyId: 'sh-mall',
        location: '4F 空调机房',
        trade: 'hvac',
        urgency: 'urgent',
        description: '空调出风口漏水',
      },
    });
    expect(raised.status).toBe(201);
    const order = (await raised.json()) as { id: string; number: string };
    const dispatched = await call(`${url}/work-orders/${order.id}/dispatch`, key, { body: { staffId: 's-wang-lei' } });
    expect(dispatched.status).toBe(200);
    const assigned = await sink.waitFor(
      (mail) => mail.to.includes('wang.lei@demo-group.example') && mail.subject.includes(order.number),
      30_000,
    );
    expect(assigned.subject).toMatch(/报修派工|Work order assigned/);
    expect(assigned.text).toContain('4F 空调机房');
    // Told once, and only the assignee: nobody else hears of the dispatch.
    expect(sink.mails.filter((mail) => mail.subject.includes(order.number)).flatMap((mail) => mail.to)).toEqual([
      'wang.lei@demo-group.example',
    ]);
    // Nothing of it reached the partner subscribed to every event.
    expect(receiver.received.filter((request) => request.body.includes(order.id))).toEqual([]);
  });
});
