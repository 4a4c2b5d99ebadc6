import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { actorOf, invalidArgument, NotFoundError, parseJsonField } from '@complaints/service-kit';
import { TEMPLATES, type Language, type TemplateKey } from '@complaints/domain';
import { render, sampleParams, TEMPLATE_TEXTS, templateVariables, wordingOverrides } from '../templates/templates';
import { DeliveriesRepository, type Delivery } from '../deliveries/deliveries.repository';
import { DispatchDelivery } from '../deliveries/dispatch-delivery';
import { maskSecrets } from '../settings/notification-settings';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { SubscriptionsRepository, type Subscription } from '../webhooks/subscriptions.repository';
import { maskAddress } from '../deliveries/mask-address';
import { DeliverReport } from '../reports/deliver-report';
import { ReportDeliveriesRepository } from '../reports/report-deliveries.repository';

/** Report ids one ListDeliveries may ask for. */
const REPORT_IDS_AT_ONCE = 200;

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
    ...(delivery.reportId ? { reportId: delivery.reportId } : {}),
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
    private readonly deliverReports: DeliverReport,
    private readonly reportDeliveries: ReportDeliveriesRepository,
  ) {}

  async deliverReport(request: v1.DeliverReportRequest): Promise<v1.DeliverReportResponse> {
    const deliveries = await this.deliverReports.deliver(request);
    return { deliveries: deliveries.map(toDeliveryProto) };
  }

  async listTemplates(request: v1.ListTemplatesRequest): Promise<v1.ListTemplatesResponse> {
    const { settings } = await this.settings.forGroup(request.groupId, { fresh: true });
    const templates = TEMPLATES.map((template) => ({
      template,
      variables: templateVariables(template),
      shipped: TEMPLATE_TEXTS[template],
      group: settings.wording[template] ?? {},
    }));
    return { templatesJson: JSON.stringify(templates) };
  }

  async previewTemplate(request: v1.PreviewTemplateRequest): Promise<v1.PreviewTemplateResponse> {
    const wording = { [request.template]: { [request.language]: { subject: request.subject, text: request.text } } };
    const parsed = wordingOverrides.safeParse(wording);
    if (!parsed.success) throw invalidArgument('wording', parsed.error.issues, 'wording');
    const template = request.template as TemplateKey;
    const language = request.language as Language;
    return render(template, language, sampleParams(template, language), parsed.data);
  }

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

  async listReportDeliveries(request: v1.ListReportDeliveriesRequest): Promise<v1.ListReportDeliveriesResponse> {
    if (request.reportIds.length > REPORT_IDS_AT_ONCE) {
      throw invalidArgument('deliveries query', [
        { path: ['reportIds'], message: `at most ${REPORT_IDS_AT_ONCE} at once` },
      ]);
    }
    const byReport = await this.reportDeliveries.deliveryIds(request.groupId, request.reportIds);
    const deliveries = await this.deliveries.findMany([...byReport.values()].flat());
    return { deliveries: deliveries.map(toDeliveryProto) };
  }

  async replayDelivery(request: v1.ReplayDeliveryRequest): Promise<v1.ReplayDeliveryResponse> {
    const delivery = await this.deliveries.startReplay(request.groupId, request.id, request.keyId);
    if (!delivery) throw new NotFoundError(`delivery ${request.id}`);
    await this.dispatch.start(delivery._id, delivery.replays);
    return { delivery: toDeliveryProto(delivery) };
  }
}
