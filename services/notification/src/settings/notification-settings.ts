import { z } from 'zod';
import { invalidArgument } from '@complaints/service-kit';
import { WECHAT_API_BASE } from '../channels/wechat/wechat-template';
import { DEFAULT_RULES, notificationRule } from '../rules/notification-rules';
import { wordingOverrides } from '../templates/templates';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 22:00');
const templateCodes = z.record(z.string(), z.string().min(1).max(128));

/** What a group configures (SPEC §7); every part has a default except the providers' accounts. */
export const notificationSettings = z.strictObject({
  rules: z.array(notificationRule).max(200).default(DEFAULT_RULES),
  /** The group's own wording of templates, per language (templates.ts); absent ones as shipped. */
  wording: wordingOverrides.default({}),
  /** SMS to complainants waits outside these hours (local time of the property) rather than being dropped. */
  quietHours: z.strictObject({ start: hhmm, end: hhmm }).nullable().default({ start: '22:00', end: '08:00' }),
  /** The daily digest of open items per handler (seed: results reported by 17:00). */
  digest: z.strictObject({ at: hhmm, timeZone: z.string().min(1) }).default({ at: '17:00', timeZone: 'Asia/Shanghai' }),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(20),
      initialBackoffSeconds: z.number().int().min(1).max(3600),
      maxBackoffSeconds: z.number().int().min(1).max(86_400),
    })
    .default({ maxAttempts: 6, initialBackoffSeconds: 30, maxBackoffSeconds: 3600 }),
  email: z
    .strictObject({ smtpUrl: z.string().regex(/^smtps?:\/\//, 'smtp:// or smtps://'), from: z.string().min(3) })
    .optional(),
  sms: z
    .strictObject({
      provider: z.literal('aliyun'),
      endpoint: z.url(),
      accessKeyId: z.string().min(1),
      accessKeySecret: z.string().min(1),
      signName: z.string().min(1),
      templates: templateCodes,
    })
    .optional(),
  wechat: z
    .strictObject({
      apiBase: z.url().optional(),
      appId: z.string().min(1),
      appSecret: z.string().min(1),
      templates: templateCodes,
    })
    .optional(),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;

export const DEFAULT_SETTINGS: NotificationSettings = notificationSettings.parse({});

/** Shown instead of a secret; sent back unchanged, it keeps the stored one. */
export const SECRET_MASK = '********';

/** The settings as an API shows them: secrets (provider keys, the SMTP password) masked. */
export function maskSecrets(settings: NotificationSettings): NotificationSettings {
  const smtp = settings.email && new URL(settings.email.smtpUrl);
  if (smtp?.password) smtp.password = SECRET_MASK;
  return {
    ...settings,
    email: settings.email && smtp ? { ...settings.email, smtpUrl: smtp.toString() } : undefined,
    sms: settings.sms && { ...settings.sms, accessKeySecret: SECRET_MASK },
    wechat: settings.wechat && { ...settings.wechat, appSecret: SECRET_MASK },
  };
}

/** The secrets a group's settings hold, each stored sealed on its own (settings.repository.ts). */
export type SecretField = 'smtpPassword' | 'smsAccessKeySecret' | 'wechatAppSecret';

export function secretsOf(settings: NotificationSettings): Partial<Record<SecretField, string>> {
  const secrets: Partial<Record<SecretField, string>> = {};
  const password = settings.email && decodeURIComponent(new URL(settings.email.smtpUrl).password);
  if (password) secrets.smtpPassword = password;
  if (settings.sms) secrets.smsAccessKeySecret = settings.sms.accessKeySecret;
  if (settings.wechat) secrets.wechatAppSecret = settings.wechat.appSecret;
  return secrets;
}

/** The settings with each secret put in by `secret` (the mask to store them apart, the clear value to send). */
export function withSecrets(
  settings: NotificationSettings,
  secret: (field: SecretField) => string | undefined,
): NotificationSettings {
  let email = settings.email;
  if (email) {
    const url = new URL(email.smtpUrl);
    if (url.password) {
      url.password = encodeURIComponent(secret('smtpPassword') ?? '');
      email = { ...email, smtpUrl: url.toString() };
    }
  }
  return {
    ...settings,
    email,
    sms: settings.sms && { ...settings.sms, accessKeySecret: secret('smsAccessKeySecret') ?? '' },
    wechat: settings.wechat && { ...settings.wechat, appSecret: secret('wechatAppSecret') ?? '' },
  };
}

/**
 * Masked secrets in a new document stand for the stored ones, but only towards the server they
 * were given for: a secret is never carried to another SMTP server, SMS endpoint or WeChat API
 * base (someone who may edit the settings but was never told the secret could otherwise send it
 * to a host of theirs). Such a change, or a mask with nothing stored, names the field to fill in.
 */
export function keepSecrets(next: NotificationSettings, stored: NotificationSettings): NotificationSettings {
  const problems: { path: string[]; message: string }[] = [];
  const email = next.email && { ...next.email };
  if (email) {
    const url = new URL(email.smtpUrl);
    if (decodeURIComponent(url.password) === SECRET_MASK) {
      const before = stored.email && new URL(stored.email.smtpUrl);
      if (before?.password && before.host === url.host && before.protocol === url.protocol) {
        url.password = before.password;
        email.smtpUrl = url.toString();
      } else {
        problems.push({
          path: ['email', 'smtpUrl'],
          message: before?.password
            ? 'the SMTP server changed, so the stored password is not sent to it: give the password again'
            : 'no password is stored to keep: give the password',
        });
      }
    }
  }
  const kept = (
    path: [string, string],
    value: string | undefined,
    storedValue: string | undefined,
    sameServer: boolean,
    server: string,
  ): string | undefined => {
    if (value !== SECRET_MASK) return value;
    if (storedValue !== undefined && sameServer) return storedValue;
    problems.push({
      path,
      message:
        storedValue !== undefined
          ? `the ${server} changed, so the stored secret is not sent to it: give the secret again`
          : 'no secret is stored to keep: give the secret',
    });
    return value;
  };
  const result: NotificationSettings = {
    ...next,
    email,
    sms: next.sms && {
      ...next.sms,
      accessKeySecret:
        kept(
          ['sms', 'accessKeySecret'],
          next.sms.accessKeySecret,
          stored.sms?.accessKeySecret,
          stored.sms?.endpoint === next.sms.endpoint,
          'SMS endpoint',
        ) ?? '',
    },
    wechat: next.wechat && {
      ...next.wechat,
      appSecret:
        kept(
          ['wechat', 'appSecret'],
          next.wechat.appSecret,
          stored.wechat?.appSecret,
          stored.wechat?.apiBase === next.wechat.apiBase,
          'WeChat API base',
        ) ?? '',
    },
  };
  if (problems.length > 0) throw invalidArgument('notification settings', problems);
  return result;
}

/** Why an SMS or WeChat setting names a host outside the allowed providers' (PROVIDER_HOSTS). */
export function providerHostProblems(
  settings: NotificationSettings,
  allowedHosts: readonly string[],
): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const check = (path: string[], url: string | undefined) => {
    if (url === undefined) return;
    const host = new URL(url).hostname.toLowerCase();
    if (!allowedHosts.includes(host)) {
      problems.push({
        path,
        message: `${host} is not a provider host this platform sends to (${allowedHosts.join(', ')})`,
      });
    }
  };
  check(['sms', 'endpoint'], settings.sms?.endpoint);
  check(['wechat', 'apiBase'], settings.wechat?.apiBase ?? (settings.wechat ? WECHAT_API_BASE : undefined));
  return problems;
}
