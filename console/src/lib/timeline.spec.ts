import i18next from 'i18next';
import type { ActionRequests, Schemas } from '../api/schemas';
import type { TimelineEntry } from '../api/types';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { departmentName, namesFrom, propertyName, timelineSentence, type Translate } from './timeline';

const i18n = i18next.createInstance();
void i18n.init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: 'zh-CN',
  interpolation: { escapeValue: false },
  initAsync: false,
  showSupportNotice: false,
});
const translate =
  (language: 'zh-CN' | 'en'): Translate =>
  (key, values) =>
    i18n.getFixedT(language)(key, values);

// What the gateway documents (its OpenAPI document, src/api/generated): the event types a complaint
// goes through (webhook subscriptions list them) and the lifecycle actions. A type documented there
// and missing here fails to compile. Each is on the timeline as these entry types: staff actions
// under their own name, the lifecycle's own transitions as start, change_severity, merge, unmerge.
type EventType = Schemas['WebhookSubscription']['events'][number];
const ENTRY_TYPES: Record<EventType | keyof ActionRequests, readonly string[]> = {
  registered: ['registered', 'registered_and_closed'],
  routed: ['routed'],
  deadline_breached: ['deadline_breached'],
  withdrawn: ['withdrawn'],
  note_added: ['note', 'referral_reply', 'spot_check'],
  reclassified: ['reclassified'],
  reassigned: ['reassigned'],
  merged: ['merged'],
  // answer_survey: the complainant's answer through the survey link, no staff action.
  transitioned: [
    'start',
    'change_severity',
    'merge',
    'unmerge',
    'move',
    'approve_extension',
    'reject_extension',
    'answer_survey',
    'supervision_overdue',
    // Done by the gateway as a work order the complaint waits on is raised, not a console action.
    'await_work_order',
  ],
  corrected: ['corrected'],
  staff_consequence: ['staff_consequence'],
  corrective_action: ['corrective_action'],
  deadline_reminder: ['deadline_reminder'],
  escalated: ['escalated'],
  unmerged: ['unmerged'],
  personal_data_erased: ['personal_data_erased'],
  acknowledge: ['acknowledge'],
  start_investigation: ['start_investigation'],
  propose_plan: ['propose_plan'],
  approve_plan: ['approve_plan'],
  reject_plan: ['reject_plan'],
  request_extension: ['request_extension'],
  await_complainant: ['await_complainant'],
  await_outside_body: ['await_outside_body'],
  give_progress: ['give_progress'],
  resume: ['resume'],
  resolve: ['resolve'],
  record_callback: ['record_callback'],
  send_survey: ['send_survey'],
  reopen: ['reopen'],
  close: ['close'],
  supervise: ['supervise'],
  answer_supervision: ['answer_supervision'],
  accept_supervision: ['accept_supervision'],
  return_supervision: ['return_supervision'],
};
/** Written by intake itself as a file is uploaded (POST /v1/complaints/{id}/attachments), no event. */
const OTHER_ENTRY_TYPES = [
  'attachment_added',
  // Written by intake as a repair work order raised from the complaint goes on.
  'work_order_raised',
  'repeat_repair',
  'work_order_completed',
  'work_order_confirmed',
  'work_order_rework',
  'work_order_overdue',
];

const LIU_YANG = { kind: 'staff', id: 's-liu-yang', name: '刘洋 Liu Yang' };
const SYSTEM = (id: string) => ({ kind: 'system', id, name: id });
const entry = (type: string, details: Record<string, unknown>, actor: TimelineEntry['actor'] = LIU_YANG) => ({
  seq: 1,
  at: '2026-11-30T09:12:02Z',
  type,
  actor,
  details,
});

const names = namesFrom({
  properties: [
    { id: 'sh-mall', name: '浦江商业广场 Pujiang Plaza' },
    { id: 'sh-wharf', name: '十六铺码头 Shiliupu Wharf' },
  ],
  departments: [{ propertyId: 'sh-mall', kind: 'engineering', name: '工程部 Engineering' }],
  staff: [{ id: 's-wang-lei', name: '王磊 Wang Lei' }, null],
});
const sentence = (value: TimelineEntry, language: 'zh-CN' | 'en' = 'zh-CN') =>
  timelineSentence(value, {
    t: translate(language),
    names,
    propertyId: 'sh-mall',
    when: (iso) => iso.slice(0, 16).replace('T', ' '),
  });

/** One entry of each type as the API answers it, and how it reads in Chinese. */
const SAMPLES: Record<string, [TimelineEntry, string]> = {
  registered: [
    entry('registered', {
      number: 'SHM01-20261130-0002',
      channel: 'phone',
      propertyId: 'sh-mall',
      receivedAt: '2026-11-30T09:12:02Z',
    }),
    '刘洋 Liu Yang 登记了浦江商业广场 Pujiang Plaza的电话投诉 SHM01-20261130-0002',
  ],
  registered_and_closed: [
    entry('registered_and_closed', {
      number: 'SHM01-20261130-0003',
      channel: 'walk_in',
      propertyId: 'sh-mall',
      receivedAt: '2026-11-30T09:12:02Z',
      firstContactAnswer: '已告知停车收费标准',
    }),
    '刘洋 Liu Yang 登记了浦江商业广场 Pujiang Plaza的来访投诉 SHM01-20261130-0003，当场答复并结案：已告知停车收费标准',
  ],
  attachment_added: [
    entry('attachment_added', { attachmentId: 'a1', filename: 'lift.png', contentType: 'image/png', size: 70 }),
    '刘洋 Liu Yang 上传了附件 lift.png',
  ],
  personal_data_erased: [
    entry('personal_data_erased', { reason: 'request', requestId: 'r1' }, SYSTEM('intake')),
    '投诉人的个人信息已删除（应本人要求）',
  ],
  routed: [
    entry(
      'routed',
      {
        category: 'facilities_equipment',
        severity: 'important',
        department: 'engineering',
        handler: '王磊 Wang Lei',
        propertyHead: null,
        reasons: ['lifts and escalators: description mentions 电梯'],
      },
      SYSTEM('routing'),
    ),
    '系统将投诉归为“设施设备”（重要），派给工程部 Engineering，处理人 王磊 Wang Lei',
  ],
  start: [entry('start', { from: 'assigned', to: 'assigned', deadlines: {} }, SYSTEM('escalation')), '时限开始计时'],
  change_severity: [
    entry('change_severity', { from: 'general', to: 'major', cause: 'open_30_days' }, SYSTEM('escalation')),
    '严重程度由一般改为重大（30 天未解决）',
  ],
  escalated: [
    entry(
      'escalated',
      { from: 'frontline', to: 'supervisor', cause: 'breach:firstReplyBy', notify: ['supervisor'] },
      SYSTEM('escalation'),
    ),
    '首次答复超时：由一线上报至主管',
  ],
  deadline_breached: [
    entry(
      'deadline_breached',
      { deadline: 'firstReplyBy', dueAt: '2026-11-30T10:12:02Z', level: 'supervisor' },
      SYSTEM('escalation'),
    ),
    '首次答复超时（时限 2026-11-30 10:12）',
  ],
  deadline_reminder: [
    entry('deadline_reminder', { deadline: 'resolveBy', dueAt: '2026-12-02T09:00:00Z' }, SYSTEM('escalation')),
    '提醒：处理时限 2026-12-02 09:00 将到',
  ],
  withdrawn: [entry('withdrawn', { reason: '已私下解决' }), '刘洋 Liu Yang 应投诉人要求撤回了投诉：已私下解决'],
  reclassified: [
    entry('reclassified', {
      changes: ['category: facilities_equipment → repair', 'department: engineering → security'],
      reason: '实为维修问题',
    }),
    '刘洋 Liu Yang 重新分类：类别由设施设备改为维修、处理部门由工程部 Engineering改为安保部。原因：实为维修问题',
  ],
  reassigned: [
    entry('reassigned', { from: '王磊 Wang Lei', to: '李娜 Li Na', reason: '王磊休假' }),
    '刘洋 Liu Yang 将处理人由 王磊 Wang Lei 改为 李娜 Li Na。原因：王磊休假',
  ],
  corrected: [
    entry('corrected', {
      reason: '登记时记错',
      changes: [
        { field: 'propertyId', before: 'sh-mall', after: 'sh-wharf' },
        { field: 'complainant.contact', before: '138****8000', after: '139****9000' },
      ],
    }),
    '刘洋 Liu Yang 更正了登记信息：项目由浦江商业广场 Pujiang Plaza改为十六铺码头 Shiliupu Wharf、联系方式由138****8000改为139****9000。原因：登记时记错',
  ],
  move: [
    entry(
      'move',
      { from: 'assigned', to: 'assigned', fromPropertyId: 'sh-mall', toPropertyId: 'sh-wharf', handler: '孙丽 Sun Li' },
      SYSTEM('escalation'),
    ),
    '投诉由浦江商业广场 Pujiang Plaza转至十六铺码头 Shiliupu Wharf（处理人：孙丽 Sun Li），时限照原计时',
  ],
  merged: [
    entry('merged', {
      into: 'SHM01-20261130-0001',
      intoComplaintId: 'c1',
      reason: 'manual',
      note: '同一位顾客',
    }),
    '刘洋 Liu Yang 将投诉并入 SHM01-20261130-0001 处理（人工合并）（备注：同一位顾客）',
  ],
  unmerged: [
    entry('unmerged', { from: 'SHM01-20261130-0001', fromComplaintId: 'c1', reason: '不是同一件事' }),
    '刘洋 Liu Yang 将投诉从 SHM01-20261130-0001 拆出单独处理。原因：不是同一件事',
  ],
  merge: [
    entry('merge', { from: 'assigned', to: 'merged', intoComplaintId: 'c1' }, SYSTEM('escalation')),
    '投诉并入另一条投诉处理，时限暂停',
  ],
  unmerge: [entry('unmerge', { from: 'merged', to: 'assigned' }), '刘洋 Liu Yang 恢复单独处理'],
  note: [entry('note', { text: '已电话联系商户' }), '刘洋 Liu Yang 备注：已电话联系商户'],
  referral_reply: [
    entry('referral_reply', { text: '已整改，已告知投诉人' }),
    '刘洋 Liu Yang 向转办单位回复：已整改，已告知投诉人',
  ],
  staff_consequence: [
    entry('staff_consequence', {
      staffId: 's-li-na',
      staff: '李娜 Li Na',
      kind: 'penalty',
      measure: 'performance_deduction',
      amount: '200',
      reason: '服务态度差',
      level: 'property_head',
    }),
    '刘洋 Liu Yang 对 李娜 Li Na 作出奖惩：扣减绩效工资 ¥200。原因：服务态度差',
  ],
  corrective_action: [
    entry('corrective_action', {
      correctiveActionId: 'c1:round-1',
      step: 'returned',
      status: 'open',
      owner: '陈杰 Chen Jie',
      dueAt: '2026-12-20T00:00:00Z',
      source: 'resolution',
      text: '巡检表缺少夜间班次',
    }),
    '刘洋 Liu Yang 退回纠正预防措施：巡检表缺少夜间班次',
  ],
  spot_check: [
    entry('spot_check', { verdict: 'nonconforming', findings: '首次答复超时', followUp: '客服部培训' }),
    '刘洋 Liu Yang 品质抽查：不合格。首次答复超时。整改要求：客服部培训',
  ],
  supervise: [
    entry('supervise', { supervision: 1, instructions: '三日内书面答复', dueAt: '2026-12-03T09:12:02Z' }),
    '刘洋 Liu Yang 督办（第1次），2026-12-03 09:12 前答复：三日内书面答复',
  ],
  answer_supervision: [
    entry('answer_supervision', { supervision: 1, answer: '已书面答复' }),
    '刘洋 Liu Yang 答复督办（第1次）：已书面答复',
  ],
  return_supervision: [
    entry('return_supervision', { supervision: 1, reason: '未附签收' }),
    '刘洋 Liu Yang 退回督办答复（第1次）：未附签收',
  ],
  accept_supervision: [
    entry('accept_supervision', { supervision: 1, note: null }),
    '刘洋 Liu Yang 验收督办答复，第1次督办结束',
  ],
  supervision_overdue: [
    entry('supervision_overdue', { supervision: 1, dueAt: '2026-12-03T09:12:02Z' }, SYSTEM('escalation')),
    '第1次督办逾期：2026-12-03 09:12 前未答复',
  ],
  acknowledge: [
    entry('acknowledge', { from: 'assigned', to: 'acknowledged', reply: '您好，已安排工程部处理。', deadlines: {} }),
    '刘洋 Liu Yang 首次答复投诉人：您好，已安排工程部处理。',
  ],
  start_investigation: [
    entry('start_investigation', { from: 'acknowledged', to: 'investigating', note: '到现场查看' }),
    '刘洋 Liu Yang 开始调查（备注：到现场查看）',
  ],
  propose_plan: [
    entry('propose_plan', { plan: '更换控制板', approver: 'property_head' }),
    '刘洋 Liu Yang 提交了处理方案：更换控制板',
  ],
  approve_plan: [entry('approve_plan', { note: null }), '刘洋 Liu Yang 批准了处理方案'],
  reject_plan: [entry('reject_plan', { reason: '费用过高' }), '刘洋 Liu Yang 驳回了处理方案：费用过高'],
  request_extension: [
    entry('request_extension', {
      reason: '等待配件',
      extension: 1,
      deadline: 'resolveBy',
      until: '2026-12-04T09:12:00Z',
      approver: 'property_head',
    }),
    '刘洋 Liu Yang 申请将处理时限延至 2026-12-04 09:12：等待配件',
  ],
  approve_extension: [
    entry('approve_extension', { extension: 1, deadline: 'resolveBy', dueAt: '2026-12-04T09:12:00Z' }),
    '刘洋 Liu Yang 批准了延期申请 #1',
  ],
  reject_extension: [
    entry('reject_extension', { reason: '时间足够', extension: 1, deadline: 'resolveBy', dueAt: null }),
    '刘洋 Liu Yang 驳回了延期申请 #1：时间足够',
  ],
  await_complainant: [
    entry('await_complainant', { reason: '等投诉人提供小票' }),
    '刘洋 Liu Yang 等待投诉人回复，时限暂停：等投诉人提供小票',
  ],
  await_outside_body: [
    entry('await_outside_body', { body: '自来水公司', reason: '市政管网检修，停水至周五' }),
    '刘洋 Liu Yang 等待外部单位（自来水公司）协助处理，时限暂停：市政管网检修，停水至周五',
  ],
  give_progress: [entry('give_progress', { message: '配件周五到货' }), '刘洋 Liu Yang 向投诉人通报进展：配件周五到货'],
  resume: [entry('resume', { note: null }), '刘洋 Liu Yang 继续处理'],
  resolve: [
    entry('resolve', { liability: 'responsible', validity: 'valid', result: '已更换控制板' }),
    '刘洋 Liu Yang 处理完成（责任投诉，有效）：已更换控制板',
  ],
  record_callback: [
    entry('record_callback', { outcome: 'completed', method: 'phone', satisfaction: 'satisfied' }),
    '刘洋 Liu Yang 电话回访，投诉人满意',
  ],
  send_survey: [entry('send_survey', { survey: 1, note: null }), '刘洋 Liu Yang 向投诉人发送了满意度回访 #1'],
  answer_survey: [
    entry(
      'answer_survey',
      { outcome: 'completed', method: 'message', satisfaction: 'basically_satisfied', survey: 1 },
      SYSTEM('escalation'),
    ),
    '投诉人回复了满意度回访 #1：基本满意',
  ],
  reopen: [entry('reopen', { round: 2, reason: '投诉人不满意' }), '刘洋 Liu Yang 重新处理（第 2 轮）：投诉人不满意'],
  close: [entry('close', { note: null, finalAnswer: null }), '刘洋 Liu Yang 结案'],
  await_work_order: [
    entry('await_work_order', { workOrderId: 'wo-1', number: 'WO-SHM01-20261130-0001' }),
    '刘洋 Liu Yang 等待维修工单 WO-SHM01-20261130-0001 完成，时限暂停',
  ],
  work_order_raised: [
    entry('work_order_raised', { number: 'WO-SHM01-20261130-0001', trade: 'plumbing', urgency: 'urgent' }),
    '刘洋 Liu Yang 派生报修工单 WO-SHM01-20261130-0001（水，加急）',
  ],
  repeat_repair: [
    entry('repeat_repair', { number: 'WO-SHM01-20261130-0002', repeatOf: 'WO-SHM01-20261101-0004' }),
    '返修：工单 WO-SHM01-20261130-0002 与 90 天内的工单 WO-SHM01-20261101-0004 修的是同一处',
  ],
  work_order_completed: [
    entry('work_order_completed', { number: 'WO-SHM01-20261130-0001', workDone: '更换管件' }),
    '刘洋 Liu Yang 完成工单 WO-SHM01-20261130-0001：更换管件',
  ],
  work_order_confirmed: [
    entry('work_order_confirmed', { number: 'WO-SHM01-20261130-0001', rating: 5 }),
    '刘洋 Liu Yang 记录报修人确认工单 WO-SHM01-20261130-0001（评分 5/5）',
  ],
  work_order_rework: [
    entry('work_order_rework', { number: 'WO-SHM01-20261130-0001', rating: 2 }),
    '刘洋 Liu Yang 记录报修人认为工单 WO-SHM01-20261130-0001 未修好（评分 2/5），退回返工',
  ],
  work_order_overdue: [
    entry('work_order_overdue', { number: 'WO-SHM01-20261130-0001', stage: 'arrival' }, SYSTEM('work-order-deadlines')),
    '工单 WO-SHM01-20261130-0001 超过到场时限',
  ],
};

describe('timeline sentences', () => {
  const documented = [...Object.values(ENTRY_TYPES).flat(), ...OTHER_ENTRY_TYPES];

  it('has a sample of every entry type the API documents', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...new Set(documented)].sort());
  });

  it.each(Object.entries(SAMPLES))('reads %s as a sentence in Chinese', (_type, [value, expected]) => {
    expect(sentence(value)).toBe(expected);
  });

  it.each(Object.entries(SAMPLES))('reads %s as a sentence in English too', (_type, [value]) => {
    const english = sentence(value, 'en');
    expect(english).not.toMatch(/timeline\.|enum\.|\{\{|undefined/);
    expect(english).not.toBe(sentence(value));
  });

  it('reads in English with the same names', () => {
    expect(sentence(SAMPLES.registered[0], 'en')).toBe(
      '刘洋 Liu Yang registered SHM01-20261130-0002 at 浦江商业广场 Pujiang Plaza (channel: Phone)',
    );
    expect(sentence(SAMPLES.routed[0], 'en')).toBe(
      'The system classified it as “Facilities & equipment” (Important) and assigned it to 工程部 Engineering, handler 王磊 Wang Lei',
    );
    expect(sentence(SAMPLES.escalated[0], 'en')).toBe(
      'Missed the first reply deadline: escalated from Frontline to Supervisor',
    );
    expect(sentence(SAMPLES.request_extension[0], 'en')).toBe(
      '刘洋 Liu Yang asked to extend the resolution deadline to 2026-12-04 09:12: 等待配件',
    );
  });

  it('reads the variants: notified on receipt, a callback that reached no one, a final answer, an unknown type', () => {
    const onReceipt = entry(
      'escalated',
      { from: 'frontline', to: 'frontline', cause: 'on_receipt', notify: ['manager', 'property_head'] },
      SYSTEM('escalation'),
    );
    expect(sentence(onReceipt)).toBe('登记时按政策：通知经理、项目负责人');
    expect(sentence(entry('escalated', { from: 'supervisor', to: 'manager', cause: 'reopen:round_2' }))).toBe(
      '第 2 轮重新处理：由主管上报至经理',
    );
    expect(sentence(entry('record_callback', { outcome: 'attempt', method: 'phone', reason: '无人接听' }))).toBe(
      '刘洋 Liu Yang 电话回访，未联系上：无人接听',
    );
    expect(
      sentence(
        entry('record_callback', {
          outcome: 'attempt',
          method: 'phone',
          reason: '关机',
          attempt: 1,
          of: 3,
          nextAttemptAt: '2026-11-30T13:12:02Z',
        }),
      ),
    ).toBe('刘洋 Liu Yang 电话回访，未联系上：关机（第 1/3 次，下次 2026-11-30 13:12）');
    const unreachable = entry('close', {
      unreachable: true,
      attempts: [
        { at: '2026-11-30T09:12:02Z', method: 'phone', reason: '无人接听', by: { id: 's-wang-lei', name: 'unknown' } },
        { at: '2026-11-30T13:12:02Z', method: 'visit', reason: '家中无人', by: { id: 's-liu-yang', name: '刘洋' } },
      ],
    });
    expect(sentence(unreachable)).toBe(
      '刘洋 Liu Yang 结案：无法联系投诉人（2026-11-30 09:12 王磊 Wang Lei 电话：无人接听、2026-11-30 13:12 刘洋 上门：家中无人）',
    );
    expect(sentence(unreachable, 'en')).toBe(
      '刘洋 Liu Yang closed it: the complainant could not be reached (2026-11-30 09:12 Phone by 王磊 Wang Lei: 无人接听, 2026-11-30 13:12 Visit by 刘洋: 家中无人)',
    );
    expect(sentence(entry('close', { note: '顾客认可', finalAnswer: '维持原处理结果' }))).toBe(
      '刘洋 Liu Yang 结案，最终答复：维持原处理结果（备注：顾客认可）',
    );
    expect(sentence(entry('routed', { category: 'other', severity: 'general', department: '', handler: null }))).toBe(
      '系统将投诉归为“其他”（一般），派给—',
    );
    expect(sentence(entry('something_new', { anything: 1 }))).toBe('刘洋 Liu Yang：something_new');
  });

  it('names people, keys and the system; an id only when no name is known', () => {
    const acted = (actor: TimelineEntry['actor']) => sentence(entry('resume', {}, actor));
    // Services record `unknown` when an event came without a name: the directory's name then.
    expect(acted({ kind: 'staff', id: 's-wang-lei', name: 'unknown' })).toBe('王磊 Wang Lei 继续处理');
    expect(acted({ kind: 'staff', id: 's-wang-lei', name: 's-wang-lei' })).toBe('王磊 Wang Lei 继续处理');
    expect(acted({ kind: 'staff', id: 's-zhao-min', name: '' })).toBe('s-zhao-min 继续处理');
    expect(acted({ kind: 'partner', id: 'k1', name: 'crm' })).toBe('接口“crm” 继续处理');
    expect(acted({ kind: 'staff', id: 's-li-na', name: '李娜 Li Na', via: { keyId: 'k1', name: 'crm' } })).toBe(
      '李娜 Li Na（经 crm） 继续处理',
    );
    expect(acted(null)).toBe('系统 继续处理');
  });

  it('names properties and departments, falling back to the kind’s usual name, then to the id', () => {
    const zh = translate('zh-CN');
    expect(propertyName(names, 'sh-mall')).toBe('浦江商业广场 Pujiang Plaza');
    expect(propertyName(names, 'sh-tower')).toBe('sh-tower');
    expect(departmentName(names, zh, 'sh-mall', 'engineering')).toBe('工程部 Engineering');
    // Without the directory (a property head may not read it): what the kind is usually called.
    expect(departmentName(names, zh, 'sh-mall', 'security')).toBe('安保部');
    expect(departmentName(names, translate('en'), 'sh-tower', 'engineering')).toBe('Engineering');
    expect(departmentName(names, zh, 'sh-mall', 'car_park')).toBe('car_park');
    const registered = entry('registered', { number: 'SHT01-1', channel: 'web', propertyId: 'sh-tower' });
    expect(sentence(registered)).toBe('刘洋 Liu Yang 登记了sh-tower的网站投诉 SHT01-1');
  });

  it('never shows the complainant’s personal data, whatever an entry carries', () => {
    const personal = {
      name: '张三',
      contact: '13800138000',
      complainant: { name: '张三', contact: '13800138000', unit: 'B2-101' },
      personReached: '张三本人',
      signature: '张三',
      unit: 'B2-101',
    };
    for (const [value] of Object.values(SAMPLES)) {
      const carrying = { ...value, details: { ...value.details, ...personal } };
      for (const language of ['zh-CN', 'en'] as const) {
        expect(sentence(carrying, language)).not.toMatch(/张三|13800138000|B2-101/);
      }
    }
  });
});

describe('a resolution’s remedy and corrective action on the timeline', () => {
  it('names the remedy with its amount and the corrective action with its owner', () => {
    const resolved = entry('resolve', {
      liability: 'responsible',
      validity: 'valid',
      result: '已赔偿',
      remedy: {
        kind: 'compensation',
        amount: '800.00',
        approvedBy: { id: 's-zhao-min', name: '赵敏', level: 'supervisor' },
      },
      correctiveAction: {
        description: '湿拖作业放警示牌',
        owner: { id: 's-chen-jie', name: '陈杰' },
        dueAt: '2026-12-20T00:00:00Z',
      },
    });
    expect(sentence(resolved)).toBe(
      '刘洋 Liu Yang 处理完成（责任投诉，有效）：已赔偿 · 处理措施：赔偿，金额 800.00 · 纠正与预防措施：湿拖作业放警示牌（负责人 陈杰）',
    );
    expect(sentence(resolved, 'en')).toContain('Remedy: Compensation, 800.00');
  });
});
