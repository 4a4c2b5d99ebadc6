import { v1 } from '@complaints/contracts';
import { createEvent, workOrderKey } from '@complaints/messaging';
import { DEFAULT_RULES, notificationRule, rulesFor, triggerOf, type NotificationRule } from './notification-rules';

describe('rulesFor', () => {
  const own: NotificationRule[] = [{ on: 'resolved', to: 'complainant', template: 'result', channels: ['sms'] }];

  it('takes the group’s own rules for a trigger, and none where it has none', () => {
    expect(rulesFor(own, 'resolved')).toEqual(own);
    expect(rulesFor(own, 'breached')).toEqual([]);
  });

  it('sends a survey by the default rule when the group’s own table has none for it', () => {
    expect(rulesFor(own, 'survey_sent')).toEqual(DEFAULT_RULES.filter((rule) => rule.on === 'survey_sent'));
    const email: NotificationRule = { on: 'survey_sent', to: 'complainant', template: 'survey', channels: ['email'] };
    expect(rulesFor([email], 'survey_sent')).toEqual([email]);
  });

  it('gives a group’s own table the handover book’s defaults until it has rules of its own for them', () => {
    expect(rulesFor(own, 'handover_to_sign')).toEqual([
      { on: 'handover_to_sign', to: 'desk', template: 'handover_to_sign', channels: ['email', 'wechat'] },
    ]);
    expect(rulesFor(own, 'handover_unsigned').map((rule) => rule.to)).toEqual(['desk', 'ledger_reviewers']);
    const sms: NotificationRule = {
      on: 'ledger_day_ready',
      to: 'ledger_reviewers',
      template: 'ledger_day_ready',
      channels: ['sms'],
    };
    expect(rulesFor([sms], 'ledger_day_ready')).toEqual([sms]);
  });

  it('refuses a rule that could reach nobody: the handover book’s people on a complaint, or a complaint’s on the book', () => {
    const refused = (rule: object) => notificationRule.safeParse(rule).error?.issues[0];
    expect(refused({ on: 'received', to: 'desk', template: 'assigned', channels: ['email'] })).toMatchObject({
      path: ['to'],
    });
    expect(
      refused({ on: 'handover_to_sign', to: 'handler', template: 'handover_to_sign', channels: ['email'] }),
    ).toMatchObject({
      path: ['to'],
    });
    expect(
      refused({ on: 'handover_to_sign', to: 'desk', template: 'handover_to_sign', channels: ['email'] }),
    ).toBeUndefined();
    expect(DEFAULT_RULES.every((rule) => notificationRule.safeParse(rule).success)).toBe(true);
  });

  it('gives a group’s own table the work orders’ defaults until it has rules of its own for them', () => {
    expect(rulesFor(own, 'work_order_assigned')).toEqual([
      { on: 'work_order_assigned', to: 'assignee', template: 'work_order_assigned', channels: ['email', 'wechat'] },
    ]);
    expect(rulesFor(own, 'work_order_overdue').map((rule) => rule.to)).toEqual(['assignee', 'maintenance_supervisors']);
    expect(rulesFor(own, 'work_order_rework').map((rule) => rule.to)).toEqual(['assignee']);
    const sms: NotificationRule = {
      on: 'work_order_assigned',
      to: 'assignee',
      template: 'work_order_assigned',
      channels: ['sms'],
    };
    expect(rulesFor([sms], 'work_order_assigned')).toEqual([sms]);
  });

  it('refuses work orders’ people on any other trigger, and anyone else on a work order’s, naming to', () => {
    const refused = (rule: object) => notificationRule.safeParse(rule).error?.issues[0];
    expect(refused({ on: 'received', to: 'assignee', template: 'assigned', channels: ['email'] })).toMatchObject({
      path: ['to'],
    });
    expect(
      refused({
        on: 'handover_unsigned',
        to: 'maintenance_supervisors',
        template: 'handover_unsigned',
        channels: ['email'],
      }),
    ).toMatchObject({ path: ['to'] });
    const headOnOverdue = refused({
      on: 'work_order_overdue',
      to: 'property_head',
      template: 'work_order_overdue',
      channels: ['email'],
    });
    expect(headOnOverdue?.path).toEqual(['to']);
    expect(headOnOverdue?.message).toContain('assignee or maintenance_supervisors');
    expect(
      refused({ on: 'work_order_rework', to: 'desk', template: 'work_order_rework', channels: ['email'] }),
    ).toMatchObject({ path: ['to'] });
    expect(
      refused({
        on: 'work_order_overdue',
        to: 'maintenance_supervisors',
        template: 'work_order_overdue',
        channels: ['sms'],
      }),
    ).toBeUndefined();
  });
});

describe('triggerOf a work order’s step', () => {
  const step = (name: string) =>
    createEvent(
      'work_order',
      { groupId: 'g', complaintId: workOrderKey('w1') },
      v1.WorkOrderStepped.fromPartial({ workOrderId: 'w1', step: name, stage: name === 'overdue' ? 'arrival' : '' }),
    );

  it('tells of a dispatch, an overdue stage and a rework; the other steps tell nobody', () => {
    expect(triggerOf(step('dispatched'))).toBe('work_order_assigned');
    expect(triggerOf(step('overdue'))).toBe('work_order_overdue');
    expect(triggerOf(step('rework'))).toBe('work_order_rework');
    for (const quiet of ['raised', 'arrived', 'completed', 'confirmed']) expect(triggerOf(step(quiet))).toBeUndefined();
  });
});
