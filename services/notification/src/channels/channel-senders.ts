import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Delivery } from '../deliveries/deliveries.repository';
import { DEFAULT_PROVIDER_HOSTS } from '../config';
import { providerHostProblems, type NotificationSettings } from '../settings/notification-settings';
import type { Attachment, ChannelSender, OutgoingMessage, SendResult } from './channel';
import { SmtpEmailSender } from './email/smtp-email';
import { OutboundGuard } from './outbound-guard';
import { AliyunSmsSender } from './sms/aliyun-sms';
import { WebhookSender } from './webhook/webhook-sender';
import { WechatTemplateSender } from './wechat/wechat-template';

/** Providers answer in well under a second when well; 10 s is the old per-request timeout. */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

const notConfigured = (what: string): SendResult => ({
  ok: false,
  retryable: false,
  providerResponse: '',
  error: `no ${what} is configured for the group (PUT /v1/admin/notification-settings)`,
});

/** Where a scheduled report's delivery finds its file: reporting keeps the stored reports. */
export interface ReportFiles {
  /** The stored report's XLSX; null when reporting has no such report (any other failure throws). */
  xlsx(groupId: string, reportId: string): Promise<Attachment | null>;
}

/**
 * The sender for a delivery, built from the group's provider settings and kept while the
 * settings stay the same: SMTP pools and WeChat access tokens are worth reusing.
 */
@Injectable()
export class ChannelSenders implements OnApplicationShutdown {
  /** One sender per group and channel, with the settings it was built from. */
  private readonly cache = new Map<string, { settings: string; sender: ChannelSender }>();
  private readonly timeoutMs: number;
  private readonly guard: OutboundGuard;
  private readonly providerHosts: readonly string[];
  private readonly reportFiles?: ReportFiles;

  /**
   * `timeoutMs`: how long one provider request may take. Sends run inside the event consumer,
   * so a slow provider must answer "try later" rather than hold the consumer. `guard`: where
   * webhooks may go (public addresses only unless it allows more). `reportFiles`: the
   * attachments of scheduled reports' deliveries.
   */
  constructor(
    options: {
      timeoutMs?: number;
      guard?: OutboundGuard;
      providerHosts?: readonly string[];
      reportFiles?: ReportFiles;
    } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    this.guard = options.guard ?? new OutboundGuard();
    this.providerHosts = options.providerHosts ?? DEFAULT_PROVIDER_HOSTS.split(',');
    this.reportFiles = options.reportFiles;
  }

  /**
   * Never takes much longer than the provider timeout: a send that is still not answered then
   * (a WeChat token fetch before the send, mails queued in the SMTP pool) is answered as
   * retryable. It may still go through later; a retry then sends it twice, which at-least-once
   * delivery allows and a stalled consumer would not.
   */
  async send(delivery: Delivery, settings: NotificationSettings, webhookSecret: string): Promise<SendResult> {
    const limit = this.timeoutMs * 2;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<SendResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, retryable: true, providerResponse: '', error: `no answer within ${limit} ms` }),
        limit,
      );
    });
    try {
      return await Promise.race([this.sendOnce(delivery, settings, webhookSecret), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async sendOnce(
    delivery: Delivery,
    settings: NotificationSettings,
    webhookSecret: string,
  ): Promise<SendResult> {
    const message: OutgoingMessage = {
      deliveryId: delivery._id,
      to: delivery.to,
      templateKey: delivery.channel === 'webhook' ? delivery.eventType : delivery.template,
      params: delivery.params,
      subject: delivery.subject,
      text: delivery.text,
      body: delivery.body,
    };
    // Saved settings were checked against the hosts then; the operator may have narrowed them since.
    const [outside] = providerHostProblems(settings, this.providerHosts).filter(
      (problem) => problem.path[0] === delivery.channel,
    );
    if (outside) return { ok: false, retryable: false, providerResponse: '', error: outside.message };
    const sender = this.senderFor(delivery, settings, webhookSecret);
    if (!sender) return notConfigured(`${delivery.channel} provider`);
    if (delivery.reportId) {
      const attached = await this.reportAttachment(delivery.groupId, delivery.reportId);
      if (!('content' in attached)) return attached;
      message.attachments = [attached];
    }
    return sender.send(message);
  }

  /** Read at each attempt (the report is reporting's); reporting away is worth another attempt, no report is not. */
  private async reportAttachment(groupId: string, reportId: string): Promise<Attachment | SendResult> {
    const failed = (retryable: boolean, error: string): SendResult => ({
      ok: false,
      retryable,
      providerResponse: '',
      error,
    });
    if (!this.reportFiles) return failed(false, 'reports cannot be read from here');
    try {
      return (await this.reportFiles.xlsx(groupId, reportId)) ?? failed(false, `report ${reportId} is not stored`);
    } catch (error) {
      return failed(true, `the report could not be read from reporting: ${String(error)}`);
    }
  }

  private senderFor(delivery: Delivery, settings: NotificationSettings, secret: string): ChannelSender | undefined {
    switch (delivery.channel) {
      case 'webhook':
        return new WebhookSender({ secret, timeoutMs: this.timeoutMs, guard: this.guard });
      case 'email': {
        const email = settings.email;
        return (
          email &&
          this.cached(
            `${delivery.groupId}:email`,
            email,
            () => new SmtpEmailSender(email, { timeoutMs: this.timeoutMs }),
          )
        );
      }
      case 'sms': {
        const sms = settings.sms;
        return (
          sms &&
          this.cached(
            `${delivery.groupId}:sms`,
            sms,
            () => new AliyunSmsSender(sms, { timeoutMs: this.timeoutMs, guard: this.guard }),
          )
        );
      }
      case 'wechat': {
        const wechat = settings.wechat;
        return (
          wechat &&
          this.cached(
            `${delivery.groupId}:wechat`,
            wechat,
            () => new WechatTemplateSender(wechat, { timeoutMs: this.timeoutMs, guard: this.guard }),
          )
        );
      }
    }
  }

  /** A group that changed its provider settings gets a new sender; the old one's pool is closed. */
  private cached(key: string, config: object, create: () => ChannelSender): ChannelSender {
    const settings = JSON.stringify(config);
    const current = this.cache.get(key);
    if (current?.settings === settings) return current.sender;
    if (current?.sender instanceof SmtpEmailSender) current.sender.close();
    const sender = create();
    this.cache.set(key, { settings, sender });
    return sender;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { sender } of this.cache.values()) if (sender instanceof SmtpEmailSender) sender.close();
    await this.guard.close();
  }
}
