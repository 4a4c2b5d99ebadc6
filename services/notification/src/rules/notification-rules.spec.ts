import { DEFAULT_RULES, rulesFor, type NotificationRule } from './notification-rules';

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
});
