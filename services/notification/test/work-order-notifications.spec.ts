import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent, workOrderKey } from '@complaints/messaging';
import type { DirectoryClient } from '@complaints/service-kit';
import { ChannelSenders } from '../src/channels/channel-senders';
import { OutboundGuard } from '../src/channels/outbound-guard';
import { DeliveriesRepository, Delivery, DeliverySchema } from '../src/deliveries/deliveries.repository';
import { createDeliveryActivities } from '../src/deliveries/delivery.activities';
import { DeliverNow } from '../src/deliveries/deliver-now';
import { DispatchDelivery } from '../src/deliveries/dispatch-delivery';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import {
  SuspendedGroup,
  SuspendedGroupSchema,
  SuspendedGroupsRepository,
} from '../src/settings/suspended-groups.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';
import { WorkOrderEventsHandler } from '../src/work-orders/work-order-events.handler';
import { WorkOrderNotices } from '../src/work-orders/work-order-notices';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { LOCAL_SEALER, TEST_CONFIG } from './local-secrets';

const groupId = 'g-work-orders';
/** A group with a rules table of its own, saved before work orders told anyone. */
const ownRulesGroup = 'g-work-orders-own-rules';

const staff = (
  id: string,
  name: string,
  roleLevel: string,
  propertyIds: string[],
  departmentId: string,
  language = 'zh-CN',
) => v1.Staff.fromPartial({ id, name, roleLevel, propertyIds, departmentId, email: `${id}@example.com`, language });
const STAFF = [
  staff('wang-lei', '王磊', 'frontline', ['p1'], 'p1-eng', 'en'),
  staff('li-qiang', '李强', 'frontline', ['p1'], 'p1-eng'),
  staff('zhao-min', '赵敏', 'supervisor', ['p1'], 'p1-eng'),
  { ...staff('left-sup', '离职主管', 'supervisor', ['p1'], 'p1-eng'), inactive: true },
  // A supervisor of another department, and the property head: not told while engineering has one.
  staff('chen-jie', '陈杰', 'supervisor', ['p1'], 'p1-cs'),
  staff('head-1', '周总', 'property_head', ['p1'], ''),
  // The second property's engineering department has no supervisor: its property head answers.
  staff('sun-li', '孙丽', 'frontline', ['p2'], 'p2-eng'),
  staff('head-2', '吴总', 'property_head', ['p2'], ''),
  staff('gao-feng', '高峰', 'regional_gm', [], ''),
];
const DEPARTMENTS = [
  v1.Department.fromPartial({ id: 'p1-eng', propertyId: 'p1', name: '工程部', kind: 'engineering' }),
  v1.Department.fromPartial({ id: 'p1-cs', propertyId: 'p1', name: '客服部', kind: 'customer_service' }),
  v1.Department.fromPartial({ id: 'p2-eng', propertyId: 'p2', name: '工程部', kind: 'engineering' }),
];
const DISPATCHER = { kind: 'staff', id: 'chen-jie', name: '陈杰' };

/** One step of a work order as intake publishes it: the event id comes from the work order and the step's place. */
function stepped(
  group: string,
  workOrderId: string,
  sequence: number,
  step: string,
  extra: Partial<v1.WorkOrderStepped> = {},
) {
  return createEvent(
    'work_order',
    {
      groupId: group,
      complaintId: workOrderKey(workOrderId),
      idempotencyKey: `work-order:${workOrderId}:${sequence}`,
    },
    v1.WorkOrderStepped.fromPartial({
      workOrderId,
      number: `WO-${workOrderId.slice(0, 6)}`,
      step,
      propertyId: 'p1',
      regionId: 'r1',
      trade: 'hvac',
      urgency: 'urgent',
      location: 'L2-15 商铺',
      raisedAt: '2026-12-06T01:00:00Z',
      arriveBy: '2026-12-06T03:00:00Z',
      completeBy: '2026-12-06T09:00:00Z',
      actor: DISPATCHER,
      ...extra,
    }),
  );
}

// Repair work orders' messages on FerretDB, a real local SMTP server and Temporal's time-skipping
// server (where a failed send would go to be retried): who is told of a work order dispatched,
// overdue and sent back for rework, and that nobody is told twice. Intake's directory is played
// by an object.
describe('work order notifications', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let connection: mongoose.Connection;
  let sink: SmtpSink;
  let deliveries: DeliveriesRepository;
  let handler: WorkOrderEventsHandler;
  let subscriptions: SubscriptionsRepository;
  const taskQueue = `work-order-test-${randomUUID().slice(0, 8)}`;
  const senders = new ChannelSenders({
    guard: new OutboundGuard(['127.0.0.0/8']),
    providerHosts: TEST_CONFIG.sending.providerHosts,
  });

  /** Who the mails of one work order whose subject starts so went to. */
  const mailsTo = (subject: string, number: string) =>
    sink.mails
      .filter((mail) => mail.subject.startsWith(subject) && mail.subject.includes(number))
      .flatMap((mail) => mail.to)
      .sort();
  const told = async (group: string, workOrderId: string) =>
    (await deliveries.list({ groupId: group, complaintId: workOrderKey(workOrderId), limit: 100 }))
      .map((one) => [one.template, one.recipientKind, one.recipientId, one.channel, one.status].join(' '))
      .sort();

  beforeAll(async () => {
    sink = await startSmtpSink();
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_work_orders') })
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
        departments: DEPARTMENTS,
        staff: STAFF,
        properties: [
          v1.Property.fromPartial({ id: 'p1', name: '浦江商业广场', timeZone: 'Asia/Shanghai' }),
          v1.Property.fromPartial({ id: 'p2', name: '滨江公寓', timeZone: 'Asia/Shanghai' }),
        ],
      }),
    } as unknown as DirectoryClient;
    const suspendedGroups = new SuspendedGroupsRepository(connection.model(SuspendedGroup.name, SuspendedGroupSchema));
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    const dispatch = new DispatchDelivery(env.client, taskQueue);
    const deliverNow = new DeliverNow({ deliveries, settings, senders, dispatch }, { concurrency: 8 });
    handler = new WorkOrderEventsHandler(new WorkOrderNotices(settings, directory, suspendedGroups), deliverNow);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../src/workflows'),
      activities: createDeliveryActivities({
        deliveries,
        settings,
        subscriptions,
        senders,
        contacts: { contactOf: async () => null },
      }),
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

  it('tells the assignee of a work order dispatched to them, once, with where, what and by when; no partner hears of it', async () => {
    // A partner subscribed to every event hears nothing of work orders.
    await subscriptions.create({
      groupId,
      url: 'http://127.0.0.1:9/hook',
      events: [],
      secret: 'a-webhook-secret-of-some-length',
      keyId: 'k-partner',
      propertyIds: [],
      seesConfidential: false,
    });
    const id = randomUUID();
    const number = `WO-${id.slice(0, 6)}`;
    // Raised: nobody yet.
    await handler.handle(stepped(groupId, id, 0, 'raised'));
    expect(await told(groupId, id)).toEqual([]);

    const dispatched = stepped(groupId, id, 1, 'dispatched', {
      assignee: { kind: 'staff', id: 'li-qiang', name: '李强' },
    });
    await handler.handle(dispatched);
    const mail = await sink.waitFor((one) => one.subject.includes(number) && one.to.includes('li-qiang@example.com'));
    expect(mail.subject).toBe(`报修派工：${number}（加急）`);
    expect(mail.text).toBe(
      `报修单 ${number} 已派给您：浦江商业广场 L2-15 商铺，空调暖通，加急。请于 2026-12-06 11:00 前到场，2026-12-06 17:00 前完工。`,
    );
    // Delivered again: nobody is told twice.
    await handler.handle(dispatched);
    expect(await told(groupId, id)).toEqual(['work_order_assigned assignee li-qiang email sent']);
    expect(mailsTo('报修派工', number)).toEqual(['li-qiang@example.com']);

    // Arrived, completed and confirmed tell nobody either.
    const assignee = { kind: 'staff', id: 'li-qiang', name: '李强' };
    await handler.handle(stepped(groupId, id, 2, 'arrived', { assignee }));
    await handler.handle(stepped(groupId, id, 3, 'completed', { assignee }));
    await handler.handle(stepped(groupId, id, 4, 'confirmed', { assignee, rating: 5 }));
    expect(await told(groupId, id)).toEqual(['work_order_assigned assignee li-qiang email sent']);
    expect((await deliveries.list({ groupId, channel: 'webhook', limit: 10 })).length).toBe(0);
  });

  it('tells the assignee and the engineering supervisor of a missed arrival and a missed completion, once per kind', async () => {
    const id = randomUUID();
    const number = `WO-${id.slice(0, 6)}`;
    const assignee = { kind: 'staff', id: 'wang-lei', name: '王磊' };
    await handler.handle(stepped(groupId, id, 0, 'raised'));
    await handler.handle(stepped(groupId, id, 1, 'dispatched', { assignee }));
    const arrival = stepped(groupId, id, 2, 'overdue', { assignee, stage: 'arrival', actor: undefined });
    await handler.handle(arrival);
    await handler.handle(arrival);
    // Wang Lei reads English; Zhao Min, the engineering supervisor, Chinese. Not the other
    // department's supervisor, not the property head, not the one who left.
    const english = await sink.waitFor((one) => one.subject === `Work order overdue: ${number}, arrival missed`);
    expect(english.to).toEqual(['wang-lei@example.com']);
    expect(english.text).toContain('was due for arrival by 6 Dec 2026, 11:00');
    const chinese = await sink.waitFor((one) => one.subject === `报修超时：${number} 未按时到场`);
    expect(chinese.to).toEqual(['zhao-min@example.com']);
    expect(chinese.text).toBe(
      `报修单 ${number}（浦江商业广场 L2-15 商铺，空调暖通，加急）应于 2026-12-06 11:00 前到场，至今未到场。维修人员：王磊。`,
    );

    await handler.handle(stepped(groupId, id, 3, 'arrived', { assignee, late: true }));
    const completion = stepped(groupId, id, 4, 'overdue', { assignee, stage: 'completion', actor: undefined });
    await handler.handle(completion);
    await handler.handle(completion);
    await sink.waitFor((one) => one.subject === `报修超时：${number} 未按时完工`);
    expect(await told(groupId, id)).toEqual([
      'work_order_assigned assignee wang-lei email sent',
      'work_order_overdue assignee wang-lei email sent',
      'work_order_overdue assignee wang-lei email sent',
      'work_order_overdue maintenance_supervisors zhao-min email sent',
      'work_order_overdue maintenance_supervisors zhao-min email sent',
    ]);
    expect(
      sink.mails.filter((one) => one.subject.includes(number) && one.to.includes('zhao-min@example.com')),
    ).toHaveLength(2);
    expect(sink.mails.filter((one) => one.subject.includes(number)).flatMap((one) => one.to)).not.toEqual(
      expect.arrayContaining(['chen-jie@example.com']),
    );
  });

  it('tells the property head of a missed arrival where engineering has no supervisor, also before anyone is dispatched', async () => {
    const id = randomUUID();
    const number = `WO-${id.slice(0, 6)}`;
    await handler.handle(stepped(groupId, id, 0, 'raised', { propertyId: 'p2' }));
    await handler.handle(stepped(groupId, id, 1, 'overdue', { propertyId: 'p2', stage: 'arrival', actor: undefined }));
    const mail = await sink.waitFor((one) => one.subject === `报修超时：${number} 未按时到场`);
    expect(mail.to).toEqual(['head-2@example.com']);
    expect(mail.text).toContain('维修人员：尚未派工');
    expect(await told(groupId, id)).toEqual(['work_order_overdue maintenance_supervisors head-2 email sent']);
  });

  it('tells the assignee of a repair sent back for rework', async () => {
    const id = randomUUID();
    const number = `WO-${id.slice(0, 6)}`;
    const assignee = { kind: 'staff', id: 'li-qiang', name: '李强' };
    await handler.handle(stepped(groupId, id, 1, 'dispatched', { assignee }));
    await handler.handle(stepped(groupId, id, 2, 'arrived', { assignee }));
    await handler.handle(stepped(groupId, id, 3, 'completed', { assignee }));
    const rework = stepped(groupId, id, 4, 'rework', {
      assignee,
      rating: 2,
      reworks: 1,
      actor: { kind: 'staff', id: 'x', name: '业主' },
    });
    await handler.handle(rework);
    await handler.handle(rework);
    const mail = await sink.waitFor((one) => one.subject === `报修返工：${number}`);
    expect(mail.to).toEqual(['li-qiang@example.com']);
    expect(mail.text).toContain('确认未修好（评分 2），已退回给您返工（第 1 次）');
    expect(await told(groupId, id)).toEqual([
      'work_order_assigned assignee li-qiang email sent',
      'work_order_rework assignee li-qiang email sent',
    ]);
  });

  it('gives a group with its own rules table the work orders’ default rules', async () => {
    const id = randomUUID();
    const assignee = { kind: 'staff', id: 'li-qiang', name: '李强' };
    await handler.handle(stepped(ownRulesGroup, id, 1, 'dispatched', { assignee }));
    await handler.handle(stepped(ownRulesGroup, id, 2, 'overdue', { assignee, stage: 'arrival', actor: undefined }));
    await handler.handle(stepped(ownRulesGroup, id, 3, 'rework', { assignee, rating: 1, reworks: 1 }));
    expect(await told(ownRulesGroup, id)).toEqual([
      'work_order_assigned assignee li-qiang email sent',
      'work_order_overdue assignee li-qiang email sent',
      'work_order_overdue maintenance_supervisors zhao-min email sent',
      'work_order_rework assignee li-qiang email sent',
    ]);
  });
});
