import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { actorOf, NotFoundError, parseJsonField } from '@complaints/service-kit';
import { DeliveriesRepository, type Delivery } from '../deliveries/deliveries.repository';
import { DispatchDelivery } from '../deliveries/dispatch-delivery';
import { maskSecrets } from '../settings/notification-settings';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { SubscriptionsRepository, type Subscription } from '../webhooks/subscriptions.repository';
import { maskAddress } from '../deliveries/mask-address';

function toDeliveryProto(delivery: Delivery): v1.Delivery {
  return v1.Delivery.fromPartial({
    id: delivery._id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    complaintId: delivery.complaintId,
    recipientKind: delivery.recipientKind,
    recipientId: delivery.recipientKind === 'complainant' ? 'complainant' : delivery.recipientId,
    address: maskAddress(delivery.channel, delivery.to),
    channel: delivery.channel,
    template: delivery.template,
    language: delivery.language,
    status: delivery.status,
    attempts: delivery.attempts.map((attempt) => ({
      number: attempt.number,
      at: new Date(attempt.at).toISOString(),
      ok: attempt.ok,
      providerResponse: attempt.providerResponse,
      error: attempt.error,
    })),
    deferredUntil: delivery.deferredUntil ? new Date(delivery.deferredUntil).toISOString() : '',
    createdAt: delivery.createdAt?.toISOString() ?? '',
    updatedAt: delivery.updatedAt?.toISOString() ?? '',
  });
}

function toSubscriptionProto(subscription: Subscription): v1.Subscription {
  return {
    id: subscription._id,
    url: subscription.url,
    events: subscription.events,
    keyId: subscription.keyId,
    propertyIds: subscription.propertyIds,
    createdAt: subscription.createdAt?.toISOString() ?? '',
  };
}

@Controller()
@v1.NotificationServiceControllerMethods()
export class NotificationGrpcController implements v1.NotificationServiceController {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly dispatch: DispatchDelivery,
    private readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  async setGroupSuspended(request: v1.SetGroupSuspendedRequest): Promise<v1.SetGroupSuspendedResponse> {
    await this.suspendedGroups.set(request.groupId, request.suspended);
    return {};
  }

  async getNotificationSettings(
    request: v1.GetNotificationSettingsRequest,
  ): Promise<v1.GetNotificationSettingsResponse> {
    const { settings, isDefault } = await this.settings.forGroup(request.groupId, { fresh: true });
    return { settingsJson: JSON.stringify(maskSecrets(settings)), isDefault };
  }

  async putNotificationSettings(
    request: v1.PutNotificationSettingsRequest,
  ): Promise<v1.PutNotificationSettingsResponse> {
    const body = parseJsonField(request.settingsJson, 'settings');
    const settings = await this.settings.put(request.groupId, body, actorOf(request.actor).name);
    return { settingsJson: JSON.stringify(maskSecrets(settings)) };
  }

  async createSubscription(request: v1.CreateSubscriptionRequest): Promise<v1.CreateSubscriptionResponse> {
    return { subscription: toSubscriptionProto(await this.subscriptions.create(request)) };
  }

  async listSubscriptions(request: v1.ListSubscriptionsRequest): Promise<v1.ListSubscriptionsResponse> {
    const subscriptions = await this.subscriptions.list(request.groupId, request.keyId);
    return { subscriptions: subscriptions.map(toSubscriptionProto) };
  }

  async deleteSubscription(request: v1.DeleteSubscriptionRequest): Promise<v1.DeleteSubscriptionResponse> {
    await this.subscriptions.remove(request.groupId, request.id, request.keyId);
    return {};
  }

  async listDeliveries(request: v1.ListDeliveriesRequest): Promise<v1.ListDeliveriesResponse> {
    const deliveries = await this.deliveries.list({
      groupId: request.groupId,
      complaintId: request.complaintId,
      channel: request.channel,
      status: request.status,
      keyId: request.keyId,
      limit: Math.min(Math.max(request.limit || 100, 1), 500),
    });
    return { deliveries: deliveries.map(toDeliveryProto) };
  }

  async replayDelivery(request: v1.ReplayDeliveryRequest): Promise<v1.ReplayDeliveryResponse> {
    const delivery = await this.deliveries.startReplay(request.groupId, request.id, request.keyId);
    if (!delivery) throw new NotFoundError(`delivery ${request.id}`);
    await this.dispatch.start(delivery._id, delivery.replays);
    return { delivery: toDeliveryProto(delivery) };
  }
}
