import {
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type RecipientKind,
  type TemplateKey,
  type Trigger,
} from '@complaints/domain';

// The notification settings document (GET/PUT /v1/admin/notification-settings) as the form edits
// it. Whatever the form does not edit is carried through as read, so saving never loses a part.

/** Webhooks are subscribed to by API keys, never named in a rule. */
export type RuleChannel = Exclude<NotificationChannel, 'webhook'>;
export const RULE_CHANNELS: readonly RuleChannel[] = NOTIFICATION_CHANNELS.filter(
  (channel): channel is RuleChannel => channel !== 'webhook',
);

export interface NotificationRuleDocument {
  on: Trigger;
  to: RecipientKind;
  template: TemplateKey;
  channels: RuleChannel[];
}

/** Edited on the wording tab (TemplatesAdmin); here only carried, so its shape is not this form's. */
export type WordingDocument = Record<string, unknown>;

export interface NotificationSettingsDocument {
  /** Absent: the server stores its shipped table. */
  rules?: NotificationRuleDocument[];
  wording?: WordingDocument;
  quietHours?: { start: string; end: string } | null;
  digest?: { at: string; timeZone: string };
  retry?: { maxAttempts: number; initialBackoffSeconds: number; maxBackoffSeconds: number };
  email?: { smtpUrl: string; from: string };
  sms?: {
    provider: string;
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    templates: Record<string, string>;
  };
  wechat?: { apiBase?: string; appId: string; appSecret: string; templates: Record<string, string> };
}

/** What GET answers: the settings and whether the group has stored any. */
export type NotificationSettingsRead = NotificationSettingsDocument & { isDefault?: boolean };

/** `id` only keeps React rows apart when one is removed; it is never sent. */
export interface RuleRow extends NotificationRuleDocument {
  id: number;
}

/** A platform template and the code the provider registered it under. */
export interface CodeRow {
  id: number;
  template: string;
  code: string;
}

export interface NotificationSettingsFormState {
  rules: RuleRow[];
  /** Save without `rules`, so that the server puts its shipped table back. */
  restoreShippedRules: boolean;
  wording: WordingDocument | undefined;
  quietHours: { on: boolean; start: string; end: string };
  digest: { at: string; timeZone: string };
  retry: { maxAttempts: string; initialBackoffSeconds: string; maxBackoffSeconds: string };
  // Turning a provider off keeps what was typed, so turning it back on does not ask for it again.
  email: { on: boolean; smtpUrl: string; from: string };
  sms: {
    on: boolean;
    provider: string;
    endpoint: string;
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    templates: CodeRow[];
  };
  wechat: { on: boolean; apiBase: string; appId: string; appSecret: string; templates: CodeRow[] };
}

/** The only SMS provider the server accepts. */
export const SMS_PROVIDER = 'aliyun';

function codeRows(templates: Record<string, string> | undefined): CodeRow[] {
  return Object.entries(templates ?? {}).map(([template, code], id) => ({ id, template, code }));
}

function codes(rows: CodeRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((row) => [row.template, row.code]));
}

export function formFromDocument(document: NotificationSettingsDocument): NotificationSettingsFormState {
  const { email, sms, wechat, quietHours, digest, retry } = document;
  return {
    rules: (document.rules ?? []).map((rule, id) => ({ ...rule, channels: [...rule.channels], id })),
    restoreShippedRules: document.rules === undefined,
    wording: document.wording,
    // Absent (never from the API, which fills every default) reads as on with nothing typed, which
    // documentFromForm leaves out again; off is null, which the server keeps as "no quiet hours".
    quietHours: { on: quietHours !== null, start: quietHours?.start ?? '', end: quietHours?.end ?? '' },
    digest: { at: digest?.at ?? '', timeZone: digest?.timeZone ?? '' },
    retry: {
      maxAttempts: retry ? String(retry.maxAttempts) : '',
      initialBackoffSeconds: retry ? String(retry.initialBackoffSeconds) : '',
      maxBackoffSeconds: retry ? String(retry.maxBackoffSeconds) : '',
    },
    email: { on: email !== undefined, smtpUrl: email?.smtpUrl ?? '', from: email?.from ?? '' },
    sms: {
      on: sms !== undefined,
      provider: sms?.provider ?? SMS_PROVIDER,
      endpoint: sms?.endpoint ?? '',
      accessKeyId: sms?.accessKeyId ?? '',
      accessKeySecret: sms?.accessKeySecret ?? '',
      signName: sms?.signName ?? '',
      templates: codeRows(sms?.templates),
    },
    wechat: {
      on: wechat !== undefined,
      apiBase: wechat?.apiBase ?? '',
      appId: wechat?.appId ?? '',
      appSecret: wechat?.appSecret ?? '',
      templates: codeRows(wechat?.templates),
    },
  };
}

const blank = (...values: string[]) => values.every((value) => value.trim() === '');

/**
 * The document to PUT. A part whose every field is blank is left out, so the server's default
 * applies to it (a part only reads so when the document had none). Numbers are sent as typed: the
 * server names any field it refuses, and the form shows the reason there.
 */
export function documentFromForm(form: NotificationSettingsFormState): NotificationSettingsDocument {
  const document: NotificationSettingsDocument = {};
  if (!form.restoreShippedRules) {
    document.rules = form.rules.map(({ on, to, template, channels }) => ({
      on,
      to,
      template,
      channels: [...channels],
    }));
  }
  if (form.wording !== undefined) document.wording = form.wording;
  const { quietHours, digest, retry, email, sms, wechat } = form;
  if (!quietHours.on) document.quietHours = null;
  else if (!blank(quietHours.start, quietHours.end))
    document.quietHours = { start: quietHours.start, end: quietHours.end };
  if (!blank(digest.at, digest.timeZone)) document.digest = { at: digest.at, timeZone: digest.timeZone.trim() };
  if (!blank(retry.maxAttempts, retry.initialBackoffSeconds, retry.maxBackoffSeconds)) {
    document.retry = {
      maxAttempts: Number(retry.maxAttempts),
      initialBackoffSeconds: Number(retry.initialBackoffSeconds),
      maxBackoffSeconds: Number(retry.maxBackoffSeconds),
    };
  }
  if (email.on) document.email = { smtpUrl: email.smtpUrl.trim(), from: email.from.trim() };
  if (sms.on) {
    document.sms = {
      provider: sms.provider,
      endpoint: sms.endpoint.trim(),
      accessKeyId: sms.accessKeyId.trim(),
      // Secrets as typed: the mask read back must go back byte for byte to keep the stored one.
      accessKeySecret: sms.accessKeySecret,
      signName: sms.signName.trim(),
      templates: codes(sms.templates),
    };
  }
  if (wechat.on) {
    document.wechat = {
      ...(blank(wechat.apiBase) ? {} : { apiBase: wechat.apiBase.trim() }),
      appId: wechat.appId.trim(),
      appSecret: wechat.appSecret,
      templates: codes(wechat.templates),
    };
  }
  return document;
}

/** The next row id: one above every id in use. */
export function nextId(rows: readonly { id: number }[]): number {
  return rows.reduce((max, row) => Math.max(max, row.id + 1), 0);
}

/** The rule's channels with `channel` added (at the end, so the others keep their order) or removed. */
export function toggleChannel(channels: readonly RuleChannel[], channel: RuleChannel, on: boolean): RuleChannel[] {
  const others = channels.filter((candidate) => candidate !== channel);
  return on ? [...others, channel] : others;
}

/** The templates a code row may name: those no other row of the same provider names yet. */
export function templatesFree(all: readonly string[], rows: readonly CodeRow[], row: CodeRow | undefined): string[] {
  const taken = new Set(rows.filter((other) => other !== row).map((other) => other.template));
  const options = all.filter((template) => !taken.has(template));
  // A template this console does not know yet (a newer server) stays selectable as read.
  return row && !options.includes(row.template) ? [...options, row.template] : options;
}

/**
 * The names of the API's invalidParams that the form shows beside a field as it stands now; the
 * rest (a whole part refused, a provider other than aliyun …) go to the alert under the form.
 */
export function fieldNames(form: NotificationSettingsFormState): string[] {
  const names = ['quietHours', 'email', 'sms', 'wechat'];
  if (!form.restoreShippedRules) {
    form.rules.forEach((_rule, index) => {
      names.push(`rules.${index}.on`, `rules.${index}.to`, `rules.${index}.template`, `rules.${index}.channels`);
    });
  }
  if (form.quietHours.on) names.push('quietHours.start', 'quietHours.end');
  names.push(
    'digest.at',
    'digest.timeZone',
    'retry.maxAttempts',
    'retry.initialBackoffSeconds',
    'retry.maxBackoffSeconds',
  );
  if (form.email.on) names.push('email.smtpUrl', 'email.from');
  if (form.sms.on) {
    names.push('sms.endpoint', 'sms.accessKeyId', 'sms.accessKeySecret', 'sms.signName');
    names.push(...form.sms.templates.map((row) => `sms.templates.${row.template}`));
  }
  if (form.wechat.on) {
    names.push('wechat.apiBase', 'wechat.appId', 'wechat.appSecret');
    names.push(...form.wechat.templates.map((row) => `wechat.templates.${row.template}`));
  }
  return names;
}
