import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent } from '@complaints/messaging';
import { readSurveyToken, type DirectoryClient, type PersonalDataClient } from '@complaints/service-kit';
import { Case, CaseMembers, CaseMembersSchema, CaseSchema, CasesRepository } from '../src/cases/cases.repository';
import { ChannelSenders } from '../src/channels/channel-senders';
import { OutboundGuard } from '../src/channels/outbound-guard';
import { DeliveriesRepository, Delivery, DeliverySchema } from '../src/deliveries/deliveries.repository';
import { DeliverNow } from '../src/deliveries/deliver-now';
import { PlanNotifications } from '../src/deliveries/plan-notifications';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import {
  SuspendedGroup,
  SuspendedGroupSchema,
  SuspendedGroupsRepository,
} from '../src/settings/suspended-groups.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';
import { FAKE_ALIYUN, startFakeProviders, type FakeProviders } from './fake-providers';
import { LOCAL_SEALER, TEST_CONFIG } from './local-secrets';

const groupId = 'g-plan';

// An event through the consumer's steps on FerretDB and the fake SMS gateway: the case, the
// plan, the sends. Intake's gRPC answers (directory, contacts) are played by plain objects.
describe('planning and sending what an event leads to', () => {
  let connection: mongoose.Connection;
  let providers: FakeProviders;
  let cases: CasesRepository;
  let plan: PlanNotifications;
  let deliverNow: DeliverNow;
  let deliveries: DeliveriesRepository;
  let suspendedGroups: SuspendedGroupsRepository;
  let settings: SettingsRepository;
  const senders = new ChannelSenders({
    guard: new OutboundGuard(['127.0.0.0/8']),
    providerHosts: TEST_CONFIG.sending.providerHosts,
  });
  const contacts = new Map<string, string>();
  const starts: string[] = [];

  beforeAll(async () => {
    providers = await startFakeProviders();
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_plan') })
      .asPromise();
    cases = new CasesRepository(
      connection.model(Case.name, CaseSchema),
      connection.model(CaseMembers.name, CaseMembersSchema),
    );
    deliveries = new DeliveriesRepository(connection.model(Delivery.name, DeliverySchema));
    settings = new SettingsRepository(
      connection.model(GroupSettings.name, GroupSettingsSchema),
      LOCAL_SEALER,
      TEST_CONFIG,
    );
    await settings.put(
      groupId,
      {
        quietHours: null,
        sms: {
          provider: 'aliyun',
          endpoint: providers.aliyunEndpoint,
          ...FAKE_ALIYUN,
          signName: '物业服务',
          templates: {
            result: 'SMS_300001',
            survey: 'SMS_300002',
            not_accepted: 'SMS_300003',
            not_liable: 'SMS_300004',
          },
        },
      },
      'test',
    );
    const directory = {
      directory: async (): Promise<v1.ListDirectoryResponse> => ({
        regions: [],
        departments: [],
        staff: [
          v1.Staff.fromPartial({ id: 's-sup', name: '王主管', roleLevel: 'supervisor', email: 'wang@example.com' }),
          v1.Staff.fromPartial({ id: 's-gm', name: '高总', roleLevel: 'regional_gm', email: 'gao@example.com' }),
        ],
        properties: [v1.Property.fromPartial({ id: 'p1', name: '浦江商业广场', timeZone: 'Asia/Shanghai' })],
      }),
    } as unknown as DirectoryClient;
    const personalData = {
      call: {
        getComplainantContact: async ({ complaintId }: { complaintId: string }) => ({
          contact: contacts.get(complaintId) ?? '',
          erased: false,
        }),
      },
    } as unknown as PersonalDataClient;
    suspendedGroups = new SuspendedGroupsRepository(connection.model(SuspendedGroup.name, SuspendedGroupSchema));
    plan = new PlanNotifications(
      cases,
      settings,
      new SubscriptionsRepository(connection.model(Subscription.name, SubscriptionSchema), LOCAL_SEALER),
      directory,
      personalData,
      TEST_CONFIG,
      suspendedGroups,
    );
    deliverNow = new DeliverNow(
      {
        deliveries,
        settings,
        senders,
        dispatch: {
          start: async (id: string) => {
            starts.push(id);
          },
        },
      },
      { concurrency: 4 },
    );
  });
  afterAll(async () => {
    await senders.onApplicationShutdown();
    await connection.dropDatabase();
    await connection.close();
    await providers.stop();
  });

  async function handle(event: v1.EventEnvelope): Promise<void> {
    const { planned } = await cases.apply(event, (subject) => plan.plan(event, subject));
    await deliverNow.deliver(planned);
  }

  async function register(number: string, mobile: string, mergedInto = ''): Promise<string> {
    const complaintId = randomUUID();
    contacts.set(complaintId, mobile);
    await handle(
      createEvent(
        'registered',
        { groupId, complaintId },
        v1.ComplaintRegistered.fromPartial({ complaint: { id: complaintId, number, propertyId: 'p1' } }),
      ),
    );
    await handle(
      createEvent(
        'routed',
        { groupId, complaintId },
        v1.ComplaintRouted.fromPartial({ severity: 'general', mergedInto }),
      ),
    );
    return complaintId;
  }

  it("tells every member of a collective its outcome, each by SMS at once, and lists each on the member's case", async () => {
    const parent = await register('SHM01-1', '13800000001');
    const members = [
      await register('SHM01-2', '13800000002', parent),
      await register('SHM01-3', '13800000003', parent),
    ];
    await handle(
      createEvent(
        'transitioned',
        {
          groupId,
          complaintId: parent,
          lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
        },
        v1.LifecycleTransitioned.fromPartial({
          action: 'resolve',
          detailsJson: JSON.stringify({ result: '已修复电梯' }),
        }),
      ),
    );
    const told = providers.sms.filter((sms) => sms.params.TemplateCode === 'SMS_300001');
    expect(told.map((sms) => sms.params.PhoneNumbers).sort()).toEqual([
      '+8613800000001',
      '+8613800000002',
      '+8613800000003',
    ]);
    // Each hears of their own complaint's number.
    expect(told.find((sms) => sms.params.PhoneNumbers === '+8613800000002')?.params.TemplateParam).toContain('SHM01-2');
    expect(starts).toEqual([]);
    for (const id of [parent, ...members]) {
      const listed = (await cases.find(groupId, id))?.complainantDeliveries ?? [];
      expect(listed).toHaveLength(1);
      const stored = await deliveries.find(listed[0]);
      expect(stored).toMatchObject({ status: 'sent', recipientId: id, template: 'result' });
      // Only the masked number is kept.
      expect(stored?.to).toContain('****');
    }
  });

  it('tells the complainant of an invalid complaint that it is not accepted and why, announcing no callback', async () => {
    const complaintId = await register('SHM01-9', '13800000009');
    await handle(
      createEvent(
        'transitioned',
        {
          groupId,
          complaintId,
          lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
        },
        v1.LifecycleTransitioned.fromPartial({
          action: 'resolve',
          detailsJson: JSON.stringify({ liability: 'non_liable', validity: 'invalid', result: '所述店铺不在本商场' }),
        }),
      ),
    );
    const sms = providers.sms.find((sent) => sent.params.PhoneNumbers === '+8613800000009');
    expect(sms?.params.TemplateCode).toBe('SMS_300003');
    expect(sms?.params.TemplateParam).toContain('所述店铺不在本商场');
    const [id] = (await cases.find(groupId, complaintId))?.complainantDeliveries ?? [];
    const stored = await deliveries.find(id);
    expect(stored).toMatchObject({ template: 'not_accepted', status: 'sent' });
    expect(stored?.text).toContain('不予受理');
    expect(stored?.text).not.toContain('回访');
  });

  it('explains a non-liable finding to the complainant, announcing no callback', async () => {
    const complaintId = await register('SHM01-10', '13800000010');
    await handle(
      createEvent(
        'transitioned',
        {
          groupId,
          complaintId,
          lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
        },
        v1.LifecycleTransitioned.fromPartial({
          action: 'resolve',
          detailsJson: JSON.stringify({
            liability: 'non_liable',
            validity: 'valid',
            result: '停水系自来水公司管网检修',
          }),
        }),
      ),
    );
    const sms = providers.sms.find((sent) => sent.params.PhoneNumbers === '+8613800000010');
    expect(sms?.params.TemplateCode).toBe('SMS_300004');
    expect(sms?.params.TemplateParam).toContain('停水系自来水公司管网检修');
    const [id] = (await cases.find(groupId, complaintId))?.complainantDeliveries ?? [];
    const stored = await deliveries.find(id);
    expect(stored).toMatchObject({ template: 'not_liable', status: 'sent' });
    expect(stored?.text).toContain('不属于我方责任');
    expect(stored?.text).not.toContain('回访');
  });

  it('tells nobody of a suspended group’s events, and tells again once it is resumed', async () => {
    const resolve = (complaintId: string) =>
      handle(
        createEvent(
          'transitioned',
          {
            groupId,
            complaintId,
            lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
          },
          v1.LifecycleTransitioned.fromPartial({
            action: 'resolve',
            detailsJson: JSON.stringify({ result: '已处理' }),
          }),
        ),
      );
    const toldTo = (mobile: string) => providers.sms.filter((sms) => sms.params.PhoneNumbers === mobile).length;
    await suspendedGroups.set(groupId, true);
    const quiet = await register('SHM01-6', '13800000006');
    await resolve(quiet);
    expect(toldTo('+8613800000006')).toBe(0);
    expect((await cases.find(groupId, quiet))?.complainantDeliveries ?? []).toEqual([]);
    await suspendedGroups.set(groupId, false);
    const told = await register('SHM01-7', '13800000007');
    await resolve(told);
    expect(toldTo('+8613800000007')).toBe(1);
  });

  it('words a message as the group wrote it, and another group as shipped', async () => {
    const { settings: current } = await settings.forGroup(groupId, { fresh: true });
    await settings.put(
      groupId,
      {
        ...current,
        wording: { result: { 'zh-CN': { subject: '{number} 办好了', text: '{number}：{result}。海港客服' } } },
      },
      'test',
    );
    const complaintId = await register('SHM01-8', '13800000008');
    await handle(
      createEvent(
        'transitioned',
        {
          groupId,
          complaintId,
          lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
        },
        v1.LifecycleTransitioned.fromPartial({ action: 'resolve', detailsJson: JSON.stringify({ result: '已修复' }) }),
      ),
    );
    const [id] = (await cases.find(groupId, complaintId))?.complainantDeliveries ?? [];
    expect(await deliveries.find(id)).toMatchObject({ subject: 'SHM01-8 办好了', text: 'SHM01-8：已修复。海港客服' });
    // Another group's settings: the shipped wording.
    expect((await settings.forGroup('g-other')).settings.wording).toEqual({});
    await settings.put(groupId, current, 'test');
  });

  it('sends the complainant the survey link, signed for the complaint and the survey, by SMS', async () => {
    const complaintId = await register('SHM01-4', '13800000004');
    await handle(
      createEvent(
        'transitioned',
        {
          groupId,
          complaintId,
          lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
        },
        v1.LifecycleTransitioned.fromPartial({ action: 'send_survey', detailsJson: JSON.stringify({ survey: 2 }) }),
      ),
    );
    const sms = providers.sms.find((request) => request.params.TemplateCode === 'SMS_300002');
    expect(sms?.params.PhoneNumbers).toBe('+8613800000004');
    const { link, number } = JSON.parse(sms?.params.TemplateParam ?? '{}') as { link: string; number: string };
    expect(number).toBe('SHM01-4');
    const base = TEST_CONFIG.survey.linkBase;
    expect(link.startsWith(base)).toBe(true);
    expect(readSurveyToken(TEST_CONFIG.survey.secret, link.slice(base.length))).toEqual({
      groupId,
      complaintId,
      survey: 2,
    });
  });

  it('reminds the staff member who made the last callback attempt when the next is due', async () => {
    const complaintId = await register('SHM01-5', '13800000005');
    const reminder = createEvent(
      'deadline_reminder',
      {
        groupId,
        complaintId,
        lifecycle: { status: 'resolved', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
      },
      v1.DeadlineReminder.fromPartial({
        deadline: 'callbackAttempt',
        dueAt: '2026-11-23T06:00:00Z',
        staff: { kind: 'staff', id: 's-sup', name: '王主管' },
      }),
    );
    const { planned } = await cases.apply(reminder, (subject) => plan.plan(reminder, subject));
    expect(planned.map(({ delivery }) => [delivery.recipientKind, delivery.recipientId, delivery.channel])).toEqual([
      ['caller', 's-sup', 'email'],
    ]);
    expect(planned[0].delivery.subject).toBe('请再次回访：投诉 SHM01-5');
    expect(planned[0].delivery.text).toContain('2026-11-23 14:00');
  });

  it('tells the handler and the supervisor when a supervision (督办) is overdue', async () => {
    const complaintId = await register('SHM01-6', '13800000006');
    await handle(
      createEvent(
        'reassigned',
        { groupId, complaintId },
        v1.ComplaintReassigned.fromPartial({
          handler: { kind: 'staff', id: 's-sup', name: '王主管' },
        }),
      ),
    );
    const overdue = createEvent(
      'transitioned',
      {
        groupId,
        complaintId,
        lifecycle: { status: 'acknowledged', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
      },
      v1.LifecycleTransitioned.fromPartial({
        action: 'supervision_overdue',
        detailsJson: JSON.stringify({
          supervision: 1,
          dueAt: '2026-11-23T06:00:00Z',
          supervisor: '高总',
          supervisorId: 's-gm',
        }),
      }),
    );
    const { planned } = await cases.apply(overdue, (subject) => plan.plan(overdue, subject));
    expect(planned.map(({ delivery }) => [delivery.recipientKind, delivery.recipientId, delivery.channel])).toEqual([
      ['handler', 's-sup', 'email'],
      ['supervisor', 's-gm', 'email'],
    ]);
    expect(planned[0].delivery.subject).toBe('督办逾期：投诉 SHM01-6');
    expect(planned[0].delivery.text).toContain('2026-11-23 14:00');
    expect(planned[0].delivery.text).toContain('高总');
  });

  it('tells a corrective action’s owner when it is overdue', async () => {
    const complaintId = await register('SHM01-11', '13800000011');
    const reminder = createEvent(
      'deadline_reminder',
      { groupId, complaintId },
      v1.DeadlineReminder.fromPartial({
        deadline: 'correctiveActionOverdue',
        dueAt: '2026-12-20T02:00:00Z',
        staff: { kind: 'staff', id: 's-sup', name: '王主管' },
      }),
    );
    const { planned } = await cases.apply(reminder, (subject) => plan.plan(reminder, subject));
    expect(planned.map(({ delivery }) => [delivery.recipientKind, delivery.recipientId])).toEqual([
      ['caller', 's-sup'],
    ]);
    expect(planned[0].delivery.subject).toBe('纠正与预防措施已逾期：投诉 SHM01-11');
    expect(planned[0].delivery.text).toContain('2026-12-20 10:00');
  });
  async function handledBy(complaintId: string, handlerId: string, name: string): Promise<void> {
    await handle(
      createEvent(
        'reassigned',
        { groupId, complaintId },
        v1.ComplaintReassigned.fromPartial({ handler: { kind: 'staff', id: handlerId, name } }),
      ),
    );
  }
  const supervision = (complaintId: string, action: string, details: object, reason = '', group = groupId) =>
    createEvent(
      'transitioned',
      {
        groupId: group,
        complaintId,
        lifecycle: { status: 'acknowledged', severity: 'general', level: 'frontline', round: 1, deadlines: {} },
      },
      v1.LifecycleTransitioned.fromPartial({
        action,
        actor: { kind: 'staff', id: 's-gm', name: '高总' },
        reason,
        detailsJson: JSON.stringify(details),
      }),
    );

  it('tells the handler when a complaint is put under supervision (督办), and again when the answer is sent back', async () => {
    const complaintId = await register('SHM01-12', '13800000012');
    await handledBy(complaintId, 's-sup', '王主管');
    const supervise = supervision(complaintId, 'supervise', {
      supervision: 1,
      instructions: '三天内书面答复整改方案',
      dueAt: '2026-11-26T06:00:00Z',
      level: 'regional_gm',
    });
    const { planned } = await cases.apply(supervise, (subject) => plan.plan(supervise, subject));
    expect(planned.map(({ delivery }) => [delivery.recipientKind, delivery.recipientId, delivery.template])).toEqual([
      ['handler', 's-sup', 'supervised'],
    ]);
    expect(planned[0].delivery.subject).toBe('督办：投诉 SHM01-12');
    expect(planned[0].delivery.text).toContain('高总');
    expect(planned[0].delivery.text).toContain('三天内书面答复整改方案');
    expect(planned[0].delivery.text).toContain('2026-11-26 14:00');

    const returned = supervision(complaintId, 'return_supervision', { supervision: 1 }, '缺少费用明细');
    const again = await cases.apply(returned, (subject) => plan.plan(returned, subject));
    expect(again.planned.map(({ delivery }) => [delivery.recipientId, delivery.template])).toEqual([
      ['s-sup', 'supervision_returned'],
    ]);
    expect(again.planned[0].delivery.text).toContain('缺少费用明细');
    // The answer and its acceptance tell nobody by default.
    const answered = supervision(complaintId, 'answer_supervision', { supervision: 1, answer: '已补充' });
    expect((await cases.apply(answered, (subject) => plan.plan(answered, subject))).planned).toEqual([]);
  });

  it('tells a corrective action’s owner when it is opened, not at its later steps', async () => {
    const complaintId = await register('SHM01-13', '13800000013');
    const step = (name: string) =>
      createEvent(
        'corrective_action',
        { groupId, complaintId },
        v1.CorrectiveActionStepped.fromPartial({
          correctiveActionId: `${complaintId}:round-1`,
          step: name,
          text: '电梯控制板纳入季度检查',
          status: name === 'opened' ? 'open' : 'done',
          owner: { kind: 'staff', id: 's-sup', name: '王主管' },
          dueAt: '2026-12-20T02:00:00Z',
        }),
      );
    const opened = step('opened');
    const { planned } = await cases.apply(opened, (subject) => plan.plan(opened, subject));
    expect(planned.map(({ delivery }) => [delivery.recipientKind, delivery.recipientId, delivery.template])).toEqual([
      ['caller', 's-sup', 'corrective_action_opened'],
    ]);
    expect(planned[0].delivery.text).toContain('电梯控制板纳入季度检查');
    expect(planned[0].delivery.text).toContain('2026-12-20 10:00');
    const done = step('done');
    expect((await cases.apply(done, (subject) => plan.plan(done, subject))).planned).toEqual([]);
  });

  it('still tells of supervision and corrective actions in a group whose own rules table names none of them', async () => {
    const group = 'g-plan-own';
    await settings.put(
      group,
      { quietHours: null, rules: [{ on: 'received', to: 'handler', template: 'assigned', channels: ['email'] }] },
      'test',
    );
    const complaintId = randomUUID();
    for (const event of [
      createEvent(
        'registered',
        { groupId: group, complaintId },
        v1.ComplaintRegistered.fromPartial({ complaint: { id: complaintId, number: 'OWN-1', propertyId: 'p1' } }),
      ),
      createEvent(
        'reassigned',
        { groupId: group, complaintId },
        v1.ComplaintReassigned.fromPartial({ handler: { kind: 'staff', id: 's-sup', name: '王主管' } }),
      ),
    ]) {
      await cases.apply(event, (subject) => plan.plan(event, subject));
    }
    const supervise = supervision(
      complaintId,
      'supervise',
      { supervision: 1, instructions: '尽快处理', dueAt: '2026-11-26T06:00:00Z', level: 'regional_gm' },
      '',
      group,
    );
    const told = await cases.apply(supervise, (subject) => plan.plan(supervise, subject));
    expect(told.planned.map(({ delivery }) => delivery.template)).toEqual(['supervised']);
    const overdue = createEvent(
      'deadline_reminder',
      { groupId: group, complaintId },
      v1.DeadlineReminder.fromPartial({
        deadline: 'correctiveActionOverdue',
        dueAt: '2026-12-20T02:00:00Z',
        staff: { kind: 'staff', id: 's-sup', name: '王主管' },
      }),
    );
    const reminded = await cases.apply(overdue, (subject) => plan.plan(overdue, subject));
    expect(reminded.planned.map(({ delivery }) => delivery.template)).toEqual(['corrective_action_overdue']);
  });
});
