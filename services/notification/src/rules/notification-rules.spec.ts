import { DEFAULT_RULES, notificationRule, rulesFor, type NotificationRule } from './notification-rules';

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
});
