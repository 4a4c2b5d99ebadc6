import { createEvent } from '@complaints/messaging';
import { nextDigestTime } from '../digest/digest.activities';
import { TEMPLATES } from '@complaints/domain';
import { DEFAULT_RULES, triggerOf } from '../rules/notification-rules';
import { maskSecrets, notificationSettings } from '../settings/notification-settings';
import { localTime, render, TEMPLATE_TEXTS, wordingOverrides, workOrderWord } from './templates';

describe('templates (zh-CN and en)', () => {
  it('has every template in both languages, and every default rule names one', () => {
    for (const key of TEMPLATES) expect(Object.keys(TEMPLATE_TEXTS[key]).sort()).toEqual(['en', 'zh-CN']);
    for (const rule of DEFAULT_RULES) expect(TEMPLATES).toContain(rule.template);
  });
  it('fills the number and the deadlines in the property’s time zone', () => {
    const at = '2026-11-23T02:00:00.000Z';
    const zh = render('receipt', 'zh-CN', {
      number: 'SHM01-20261123-0001',
      property: '浦江商业广场',
      firstReplyBy: localTime(at, 'Asia/Shanghai', 'zh-CN'),
      resolveBy: localTime(at, 'Asia/Shanghai', 'zh-CN'),
    });
    expect(zh.subject).toBe('您的投诉已受理：SHM01-20261123-0001');
    expect(zh.text).toContain('2026-11-23 10:00');
    const en = render('receipt', 'en', {
      number: 'X-1',
      property: 'Tower',
      firstReplyBy: localTime(at, 'Asia/Shanghai', 'en'),
      resolveBy: '',
    });
    expect(en.subject).toBe('Your complaint X-1 has been received');
    expect(en.text).toContain('23 Nov 2026, 10:00 GMT+8');
  });
  it('words a work order’s trade, urgency and stage in the reader’s language, and an unknown one as it is', () => {
    const zh = render('work_order_overdue', 'zh-CN', {
      number: 'WO-1',
      property: '浦江商业广场',
      location: 'L2-15',
      trade: workOrderWord('zh-CN', 'trade', 'plumbing'),
      urgency: workOrderWord('zh-CN', 'urgency', 'emergency'),
      stage: workOrderWord('zh-CN', 'stage', 'completion'),
      dueAt: localTime('2026-11-23T02:00:00.000Z', 'Asia/Shanghai', 'zh-CN'),
      assignee: '王磊',
    });
    expect(zh.subject).toBe('报修超时：WO-1 未按时完工');
    expect(zh.text).toBe(
      '报修单 WO-1（浦江商业广场 L2-15，给排水，紧急）应于 2026-11-23 10:00 前完工，至今未完工。维修人员：王磊。',
    );
    expect(workOrderWord('en', 'trade', 'hvac')).toBe('HVAC');
    expect(workOrderWord('en', 'trade', 'roofing')).toBe('roofing');
  });
});

describe('rules', () => {
  const header = { groupId: 'g', complaintId: 'c' };
  it('maps lifecycle events to triggers', () => {
    const step = (action: string) =>
      createEvent('transitioned', header, {
        action,
        fromStatus: '',
        toStatus: '',
        actor: undefined,
        reason: '',
        detailsJson: '{}',
      });
    expect(triggerOf(step('start'))).toBe('received');
    expect(triggerOf(step('request_extension'))).toBe('approval_requested');
    expect(triggerOf(step('start_investigation'))).toBeUndefined();
    expect(triggerOf(step('give_progress'))).toBe('progress_given');
    expect(DEFAULT_RULES).toContainEqual(expect.objectContaining({ on: 'progress_given', to: 'complainant' }));
    expect(triggerOf(createEvent('deadline_reminder', header, { deadline: 'progressUpdate', dueAt: '' }))).toBe(
      'progress_due',
    );
    expect(triggerOf(createEvent('deadline_reminder', header, { deadline: 'callbackAttempt', dueAt: '' }))).toBe(
      'callback_attempt_due',
    );
    expect(triggerOf(step('send_survey'))).toBe('survey_sent');
    expect(DEFAULT_RULES).toContainEqual(expect.objectContaining({ on: 'callback_attempt_due', to: 'caller' }));
    expect(DEFAULT_RULES).toContainEqual(expect.objectContaining({ on: 'survey_sent', to: 'complainant' }));
    expect(
      triggerOf(createEvent('deadline_breached', header, { deadline: 'resolveBy', dueAt: '', severity: '' })),
    ).toBe('breached');
  });
  it('refuses a rule naming an unknown recipient, and masks provider secrets', () => {
    const wrong = notificationSettings.safeParse({
      rules: [{ on: 'received', to: 'everyone', template: 'receipt', channels: ['sms'] }],
    });
    expect(wrong.success).toBe(false);
    const settings = notificationSettings.parse({
      email: { smtpUrl: 'smtp://mailer:pa55@mail.example.com:25', from: 'x@example.com' },
      wechat: { appId: 'wx1', appSecret: 'secret', templates: {} },
    });
    const masked = maskSecrets(settings);
    expect(masked.email?.smtpUrl).not.toContain('pa55');
    expect(masked.wechat?.appSecret).toBe('********');
  });
});

describe('digest time', () => {
  it('is today’s 17:00 in the zone until it has passed, then tomorrow’s', () => {
    expect(nextDigestTime(new Date('2026-11-23T08:00:00Z'), '17:00', 'Asia/Shanghai')).toEqual({
      at: new Date('2026-11-23T09:00:00Z'),
      localDate: '2026-11-23',
    });
    expect(nextDigestTime(new Date('2026-11-23T09:00:00Z'), '17:00', 'Asia/Shanghai')).toEqual({
      at: new Date('2026-11-24T09:00:00Z'),
      localDate: '2026-11-24',
    });
  });

  it('takes a group’s own wording, and refuses a placeholder the template does not fill, naming those it does', () => {
    const wording = wordingOverrides.parse({
      closed: { en: { subject: 'Done: {number}', text: 'Thanks, {number}.' } },
    });
    expect(render('closed', 'en', { number: 'N-1' }, wording)).toEqual({ subject: 'Done: N-1', text: 'Thanks, N-1.' });
    expect(render('closed', 'zh-CN', { number: 'N-1' }, wording).text).toContain('已办结');
    const refused = wordingOverrides.safeParse({ closed: { en: { subject: '{number}', text: 'by {resolveBy}' } } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['closed', 'en', 'text']);
    expect(refused.error?.issues[0]?.message).toBe('unknown {resolveBy}: this template fills {number}');
  });
});
