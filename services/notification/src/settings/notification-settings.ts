import { z } from 'zod';
import { DEFAULT_RULES, notificationRule } from '../rules/notification-rules';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 22:00');
const templateCodes = z.record(z.string(), z.string().min(1).max(128));

/** What a group configures (SPEC §7); every part has a default except the providers' accounts. */
export const notificationSettings = z.strictObject({
  rules: z.array(notificationRule).max(200).default(DEFAULT_RULES),
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

/** Masked secrets in a new document stand for the stored ones. */
export function keepSecrets(next: NotificationSettings, stored: NotificationSettings): NotificationSettings {
  const email = next.email && { ...next.email };
  if (email && stored.email) {
    const url = new URL(email.smtpUrl);
    if (decodeURIComponent(url.password) === SECRET_MASK) {
      url.password = new URL(stored.email.smtpUrl).password;
      email.smtpUrl = url.toString();
    }
  }
  return {
    ...next,
    email,
    sms: next.sms && {
      ...next.sms,
      accessKeySecret:
        next.sms.accessKeySecret === SECRET_MASK && stored.sms ? stored.sms.accessKeySecret : next.sms.accessKeySecret,
    },
    wechat: next.wechat && {
      ...next.wechat,
      appSecret:
        next.wechat.appSecret === SECRET_MASK && stored.wechat ? stored.wechat.appSecret : next.wechat.appSecret,
    },
  };
}
