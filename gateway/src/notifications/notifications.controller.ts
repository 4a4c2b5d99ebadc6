import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { COMPLAINT_EVENT_TYPES } from '@complaints/messaging';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerActor, type PartnerCaller } from '../auth/caller';
import { ForbiddenError } from '../problems/errors';
import { ComplaintScope } from '../complaints/complaint-scope';
import { NotificationClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';

/** Notification validates the content and names every problem; the gateway only needs an object. */
const settingsBody = z
  .record(z.string(), z.unknown())
  .describe(
    '`{ rules: [{ on, to, template, channels }], quietHours: { start, end } | null, digest: { at, timeZone }, ' +
      'retry: { maxAttempts, initialBackoffSeconds, maxBackoffSeconds }, email?: { smtpUrl, from }, ' +
      'sms?: { provider: "aliyun", endpoint, accessKeyId, accessKeySecret, signName, templates }, ' +
      'wechat?: { apiBase?, appId, appSecret, templates }, wording?: { <template>: { "zh-CN"?: { subject, text }, en?: … } } }`. ' +
      'Secrets read back as ******** and, sent back so, stay.',
  );

const subscriptionBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .describe('where events are posted'),
  // A work order's own events (`work_order`) are no complaint's: webhooks do not deliver them.
  events: z
    .array(z.enum(COMPLAINT_EVENT_TYPES))
    .max(COMPLAINT_EVENT_TYPES.length)
    .default([])
    .describe('event types; empty: every type'),
  secret: z
    .string()
    .min(16)
    .max(256)
    .describe('signs every delivery (HMAC-SHA256, docs/webhooks.md); never shown again'),
});

/** Nothing to say: the delivery is sent again as it was. */
const replayBody = z.strictObject({}).default({}).describe('empty, or no body at all');

const deliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'deferred', 'sent', 'failed', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

function deliveryView(delivery: v1.Delivery) {
  return {
    ...delivery,
    deferredUntil: delivery.deferredUntil || null,
  };
}

/**
 * Who was told what (SPEC §7): the group's notification settings, partners' webhook
 * subscriptions, and the record of every delivery with its attempts.
 */
/** Webhook subscriptions belong to API keys: a partner system receives them, never a person. */
function partnerOnly(caller: Caller): PartnerCaller {
  if (caller.kind !== 'partner') throw new ForbiddenError('webhook subscriptions belong to API keys');
  return caller;
}

@ApiTags('notifications')
@Controller('v1')
export class NotificationsController {
  constructor(
    private readonly notification: NotificationClient,
    private readonly keys: ApiKeysRepository,
    private readonly scope: ComplaintScope,
  ) {}

  @Get('admin/notification-settings')
  @AdminOnly()
  @ApiOperation({ summary: 'The group’s notification rules, providers, quiet hours and digest time' })
  @ApiOkResponse({ description: 'The settings (the defaults until set), secrets masked, with `isDefault`.' })
  async settings(@Caller() caller: Caller) {
    const { settingsJson, isDefault } = await this.notification.call.getNotificationSettings({
      groupId: caller.groupId,
    });
    return { ...(JSON.parse(settingsJson) as Record<string, unknown>), isDefault };
  }

  @Put('admin/notification-settings')
  @Audited<NotificationsController>('notification_settings', (c, caller) => c.settings(caller))
  @AdminOnly()
  @ApiOperation({ summary: 'Replace the group’s notification settings' })
  @ApiZodBody('NotificationSettings', settingsBody)
  @ApiOkResponse({ description: 'The stored settings, secrets masked.' })
  async putSettings(@Caller() caller: Caller, @Body(new ZodBody(settingsBody)) body: Record<string, unknown>) {
    const { settingsJson } = await this.notification.call.putNotificationSettings({
      groupId: caller.groupId,
      settingsJson: JSON.stringify(body),
      actor: callerActor(caller),
    });
    return JSON.parse(settingsJson) as Record<string, unknown>;
  }

  @Post('webhooks/subscriptions')
  @Audited('webhook_subscription')
  @ApiOperation({ summary: 'Subscribe an endpoint of yours to events (signed deliveries, docs/webhooks.md)' })
  @ApiZodBody('WebhookSubscription', subscriptionBody)
  @ApiResponse({ status: 201, description: 'The subscription (without its secret).' })
  // 403: subscriptions belong to API keys, not staff; 409: the key holds as many as it may.
  @ApiProblems('forbidden', 'conflict')
  async subscribe(
    @Caller() caller: Caller,
    @Body(new ZodBody(subscriptionBody)) body: z.infer<typeof subscriptionBody>,
  ) {
    const partner = partnerOnly(caller);
    // Before the subscription exists, so that revoking the key always finds out to stop it.
    await this.keys.markSubscribes(caller.groupId, partner.keyId);
    const { subscription } = await this.notification.call.createSubscription({
      groupId: caller.groupId,
      url: body.url,
      events: body.events,
      secret: body.secret,
      keyId: partner.keyId,
      propertyIds: partner.propertyIds ?? [],
      seesConfidential: partner.admin,
    });
    return subscription;
  }

  @Get('webhooks/subscriptions')
  @ApiOperation({ summary: 'The subscriptions of this API key' })
  @ApiOkResponse({ description: '`{ subscriptions }`, oldest first, without their secrets.' })
  @ApiProblems('forbidden')
  async subscriptions(@Caller() caller: Caller) {
    const { subscriptions } = await this.notification.call.listSubscriptions({
      groupId: caller.groupId,
      keyId: partnerOnly(caller).keyId,
    });
    return { subscriptions };
  }

  @Delete('webhooks/subscriptions/:id')
  @Audited<NotificationsController>(
    'webhook_subscription',
    async (c, caller, p) => (await c.subscriptions(caller)).subscriptions.find((item) => item.id === p.id) ?? null,
  )
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop a subscription' })
  @ApiNoContentResponse({ description: 'Stopped: nothing more is posted to it.' })
  @ApiProblems('not-found', 'forbidden')
  async unsubscribe(@Caller() caller: Caller, @Param('id') id: string) {
    await this.notification.call.deleteSubscription({ groupId: caller.groupId, id, keyId: partnerOnly(caller).keyId });
  }

  @Get('admin/webhooks/subscriptions')
  @AdminOnly('manage_api_keys')
  @ApiOperation({ summary: 'Every webhook subscription of the group, whichever key made it (group-wide admins)' })
  @ApiOkResponse({ description: '`{ subscriptions }`, oldest first, without their secrets.' })
  async allSubscriptions(@Caller() caller: Caller) {
    const { subscriptions } = await this.notification.call.listSubscriptions({ groupId: caller.groupId, keyId: '' });
    return { subscriptions };
  }

  @Delete('admin/webhooks/subscriptions/:id')
  @Audited<NotificationsController>(
    'webhook_subscription',
    async (c, caller, p) => (await c.allSubscriptions(caller)).subscriptions.find((item) => item.id === p.id) ?? null,
  )
  @AdminOnly('manage_api_keys')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop any subscription of the group (group-wide admins)' })
  @ApiNoContentResponse({ description: 'Stopped: nothing more is posted to it.' })
  @ApiProblems('not-found')
  async removeSubscription(@Caller() caller: Caller, @Param('id') id: string) {
    await this.notification.call.deleteSubscription({ groupId: caller.groupId, id, keyId: '' });
  }

  @Get('webhooks/deliveries')
  @ApiOperation({
    summary: 'Deliveries to this key’s subscriptions, newest first; `status=dead` is the dead-letter list',
  })
  @ApiOkResponse({ description: '`{ deliveries }`: each with its masked address, status and every attempt.' })
  @ApiZodQuery(deliveriesQuery)
  @ApiProblems('forbidden')
  async webhookDeliveries(
    @Caller() caller: Caller,
    @Query(new ZodBody(deliveriesQuery)) query: z.infer<typeof deliveriesQuery>,
  ) {
    const { deliveries } = await this.notification.call.listDeliveries({
      groupId: caller.groupId,
      channel: 'webhook',
      keyId: partnerOnly(caller).keyId,
      status: query.status ?? '',
      complaintId: '',
      limit: query.limit,
    });
    return { deliveries: deliveries.map(deliveryView) };
  }

  @Post('webhooks/deliveries/:id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again (a dead one, or any you missed); attempts go on being recorded' })
  @ApiZodBody('ReplayDelivery', replayBody)
  @ApiResponse({ status: 202, description: 'Accepted: the delivery, now pending again.' })
  @ApiProblems('not-found', 'forbidden')
  async replay(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(replayBody)) _body: object) {
    const { delivery } = await this.notification.call.replayDelivery({
      groupId: caller.groupId,
      id,
      keyId: partnerOnly(caller).keyId,
    });
    if (!delivery) throw new Error('notification answered without the delivery');
    return deliveryView(delivery);
  }

  @Get('complaints/:id/notifications')
  @ApiOperation({ summary: 'Everyone told about the complaint: channel, masked address, status and every attempt' })
  @ApiOkResponse({ description: '`{ deliveries }`, newest first.' })
  @ApiProblems('not-found')
  async complaintDeliveries(@Caller() caller: Caller, @Param('id') id: string) {
    await this.scope.complaintFor(caller, id);
    const { deliveries } = await this.notification.call.listDeliveries({
      groupId: caller.groupId,
      complaintId: id,
      channel: '',
      status: '',
      keyId: '',
      limit: 500,
    });
    return { deliveries: deliveries.map(deliveryView) };
  }
}
