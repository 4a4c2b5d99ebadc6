import { REDACTED, redact } from './redact';

describe('what the audit keeps of a body', () => {
  it('replaces every credential however deep, and keeps the rest as it is', () => {
    expect(
      redact({
        id: 'k1',
        secret: 'ck_abc_def',
        email: { host: 'smtp.example.com', password: 'p', user: 'u' },
        sms: { accessKeySecret: 'x', templates: { result: 'SMS_1' } },
        list: [{ adminKey: 'ck_1' }, { name: 'n', token: '' }],
        revokedAt: null,
      }),
    ).toEqual({
      id: 'k1',
      secret: REDACTED,
      email: { host: 'smtp.example.com', password: REDACTED, user: 'u' },
      sms: { accessKeySecret: REDACTED, templates: { result: 'SMS_1' } },
      list: [{ adminKey: REDACTED }, { name: 'n', token: '' }],
      revokedAt: null,
    });
  });
});
