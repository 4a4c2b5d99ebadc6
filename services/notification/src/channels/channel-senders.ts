import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Delivery } from '../deliveries/deliveries.repository';
import type { NotificationSettings } from '../settings/notification-settings';
import type { ChannelSender, OutgoingMessage, SendResult } from './channel';
import { SmtpEmailSender } from './email/smtp-email';
import { AliyunSmsSender } from './sms/aliyun-sms';
import { WebhookSender } from './webhook/webhook-sender';
import { WechatTemplateSender } from './wechat/wechat-template';

const notConfigured = (what: string): SendResult => ({
  ok: false,
  retryable: false,
  providerResponse: '',
  error: `no ${what} is configured for the group (PUT /v1/admin/notification-settings)`,
});

/**
 * The sender for a delivery, built from the group's provider settings and kept while the
 * settings stay the same: SMTP pools and WeChat access tokens are worth reusing.
 */
@Injectable()
export class ChannelSenders implements OnApplicationShutdown {
  /** One sender per group and channel, with the settings it was built from. */
  private readonly cache = new Map<string, { settings: string; sender: ChannelSender }>();

  async send(delivery: Delivery, settings: NotificationSettings, webhookSecret: string): Promise<SendResult> {
    const message: OutgoingMessage = {
      deliveryId: delivery._id,
      to: delivery.to,
      templateKey: delivery.channel === 'webhook' ? delivery.eventType : delivery.template,
      params: delivery.params,
      subject: delivery.subject,
      text: delivery.text,
      body: delivery.body,
    };
    const sender = this.senderFor(delivery, settings, webhookSecret);
    return sender ? sender.send(message) : notConfigured(`${delivery.channel} provider`);
  }

  private senderFor(delivery: Delivery, settings: NotificationSettings, secret: string): ChannelSender | undefined {
    switch (delivery.channel) {
      case 'webhook':
        return new WebhookSender({ secret });
      case 'email': {
        const email = settings.email;
        return email && this.cached(`${delivery.groupId}:email`, email, () => new SmtpEmailSender(email));
      }
      case 'sms': {
        const sms = settings.sms;
        return sms && this.cached(`${delivery.groupId}:sms`, sms, () => new AliyunSmsSender(sms));
      }
      case 'wechat': {
        const wechat = settings.wechat;
        return wechat && this.cached(`${delivery.groupId}:wechat`, wechat, () => new WechatTemplateSender(wechat));
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

  onApplicationShutdown(): void {
    for (const { sender } of this.cache.values()) if (sender instanceof SmtpEmailSender) sender.close();
  }
}
