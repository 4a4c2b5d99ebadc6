import {
  documentFromForm,
  fieldNames,
  formFromDocument,
  nextId,
  templatesFree,
  toggleChannel,
  type NotificationSettingsDocument,
  type NotificationSettingsRead,
} from './notification-settings-form';

const MASK = '********';

/** Every part set, secrets as the API reads them back, channels in no particular order. */
const full: NotificationSettingsDocument = {
  rules: [
    { on: 'received', to: 'complainant', template: 'receipt', channels: ['sms', 'email'] },
    { on: 'breached', to: 'owner', template: 'breach', channels: ['wechat', 'email', 'sms'] },
    { on: 'callback_attempt_due', to: 'caller', template: 'callback_attempt', channels: ['wechat'] },
  ],
  wording: {
    receipt: { 'zh-CN': { subject: '已受理 {number}', text: '您的投诉 {number} 已受理。' } },
    breach: { en: { subject: 'Overdue: {number}', text: '{number} is overdue.' } },
  },
  quietHours: { start: '21:30', end: '07:45' },
  digest: { at: '18:00', timeZone: 'Asia/Hong_Kong' },
  retry: { maxAttempts: 4, initialBackoffSeconds: 15, maxBackoffSeconds: 900 },
  email: { smtpUrl: `smtps://mailer:${MASK}@smtp.example.cn:465`, from: 'complaints@example.cn' },
  sms: {
    provider: 'aliyun',
    endpoint: 'https://dysmsapi.aliyuncs.com',
    accessKeyId: 'LTAI-key',
    accessKeySecret: MASK,
    signName: '物业客服',
    templates: { receipt: 'SMS_1001', result: 'SMS_1002' },
  },
  wechat: {
    apiBase: 'https://api.weixin.qq.com',
    appId: 'wx123',
    appSecret: MASK,
    templates: { assigned: 'tmpl-a', breach: 'tmpl-b' },
  },
};

describe('the notification settings form', () => {
  it('gives back every part it read, wording and masked secrets included', () => {
    const read: NotificationSettingsRead = { ...full, isDefault: false };
    const form = formFromDocument(read);
    expect(documentFromForm(form)).toEqual(full);
    // The wording is the other tab's: carried, not rebuilt.
    expect(documentFromForm(form).wording).toBe(full.wording);
  });

  it('keeps the parts that are off or absent as they were', () => {
    const minimal: NotificationSettingsDocument = {
      rules: [],
      wording: {},
      quietHours: null,
      digest: { at: '17:00', timeZone: 'Asia/Shanghai' },
      retry: { maxAttempts: 6, initialBackoffSeconds: 30, maxBackoffSeconds: 3600 },
      wechat: { appId: 'wx1', appSecret: MASK, templates: {} },
    };
    expect(documentFromForm(formFromDocument(minimal))).toEqual(minimal);
    // A document without the defaulted parts stays without them: the server fills its defaults.
    expect(documentFromForm(formFromDocument({}))).toEqual({});
  });

  it('leaves the rules out to restore the shipped table, and drops a provider turned off', () => {
    const form = formFromDocument(full);
    const sent = documentFromForm({
      ...form,
      restoreShippedRules: true,
      email: { ...form.email, on: false },
      quietHours: { ...form.quietHours, on: false },
    });
    expect(sent.rules).toBeUndefined();
    expect(sent.email).toBeUndefined();
    expect(sent.quietHours).toBeNull();
    expect(sent.sms).toEqual(full.sms);
  });

  it('turns what was typed into the document: numbers, trimmed text, an empty API base left out', () => {
    const form = formFromDocument(full);
    const sent = documentFromForm({
      ...form,
      retry: { maxAttempts: '3', initialBackoffSeconds: '10', maxBackoffSeconds: '60' },
      wechat: { ...form.wechat, apiBase: ' ', appId: ' wx9 ' },
      sms: { ...form.sms, accessKeySecret: ' new secret ' },
    });
    expect(sent.retry).toEqual({ maxAttempts: 3, initialBackoffSeconds: 10, maxBackoffSeconds: 60 });
    expect(sent.wechat).toEqual({ appId: 'wx9', appSecret: MASK, templates: full.wechat?.templates });
    expect(sent.sms?.accessKeySecret).toBe(' new secret ');
  });

  it('adds a channel at the end and removes one without reordering the others', () => {
    expect(toggleChannel(['wechat', 'email'], 'sms', true)).toEqual(['wechat', 'email', 'sms']);
    expect(toggleChannel(['wechat', 'email', 'sms'], 'email', false)).toEqual(['wechat', 'sms']);
    expect(toggleChannel(['email'], 'email', true)).toEqual(['email']);
  });

  it('offers each template once per provider, and keeps an unknown one as read', () => {
    const rows = [
      { id: 0, template: 'receipt', code: 'A' },
      { id: 1, template: 'future_template', code: 'B' },
    ];
    expect(templatesFree(['receipt', 'result', 'breach'], rows, rows[0])).toEqual(['receipt', 'result', 'breach']);
    expect(templatesFree(['receipt', 'result', 'breach'], rows, rows[1])).toEqual([
      'result',
      'breach',
      'future_template',
    ]);
    expect(templatesFree(['receipt', 'result'], rows, undefined)).toEqual(['result']);
    expect(nextId(rows)).toBe(2);
    expect(nextId([])).toBe(0);
  });

  it('names the refusals it shows at a field, by the API’s invalidParams names', () => {
    const form = formFromDocument(full);
    const names = fieldNames(form);
    expect(names).toEqual(
      expect.arrayContaining([
        'rules.2.channels',
        'rules.0.on',
        'quietHours.start',
        'digest.timeZone',
        'retry.maxBackoffSeconds',
        'email.smtpUrl',
        'sms.accessKeySecret',
        'sms.templates.result',
        'wechat.templates.breach',
        'wechat.apiBase',
      ]),
    );
    const off = fieldNames({ ...form, restoreShippedRules: true, sms: { ...form.sms, on: false } });
    expect(off).not.toContain('rules.0.on');
    expect(off).not.toContain('sms.accessKeySecret');
  });
});
