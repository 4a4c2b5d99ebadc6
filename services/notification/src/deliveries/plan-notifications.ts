import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { language as languageSchema, type Language, type TemplateKey, type Trigger } from '@complaints/domain';
import { payloadOf } from '@complaints/messaging';
import { DirectoryClient, PersonalDataClient, surveyToken } from '@complaints/service-kit';
import { NotificationConfig } from '../config';
import { maskAddress } from './mask-address';
import { CasesRepository, type Case } from '../cases/cases.repository';
import type { Channel } from '../channels/channel';
import { rulesFor, triggerOf, type NotificationRule } from '../rules/notification-rules';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { localTime, render, word } from '../templates/templates';
import { SubscriptionsRepository } from '../webhooks/subscriptions.repository';
import { deliveryId } from './deliveries.repository';
import type { PlannedDelivery } from './deliver-now';
import { staffAddresses } from './plan-staff-notices';
import { staffInScope, type StaffMember } from './staff-scope';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MOBILE = /^\+?\d{6,15}$/;

/** How a complainant's single contact is reached: an email address, a mobile number, or `wechat:<openid>`. */
export function complainantAddress(contact: string): { channel: Channel; to: string } | undefined {
  const value = contact.trim().replace(/[\s-]/g, '');
  if (EMAIL.test(contact.trim())) return { channel: 'email', to: contact.trim() };
  if (value.startsWith('wechat:')) return { channel: 'wechat', to: value.slice('wechat:'.length) };
  if (MOBILE.test(value)) return { channel: 'sms', to: value.startsWith('+') ? value : `+86${value}` };
  return undefined;
}

interface Recipient {
  kind: string;
  id: string;
  language: Language;
  /** `to` is what the record keeps (masked for a complainant); `sendTo` the clear one for this send. */
  addresses: { channel: Channel; to: string; sendTo?: string }[];
  /** Whose complaint the message speaks of (a collective member hears of its own number). */
  number: string;
  complainant: boolean;
}

/**
 * Turns an event into deliveries (SPEC §7): the group's rules say who hears of it on which
 * channels, partner subscriptions get every event they asked for. Each delivery's id comes from
 * (event, recipient, channel), so a redelivered event plans the same ones. Reads nothing from
 * the store per event: the case comes from the caller, settings and subscriptions from their
 * per-group caches, the directory from intake's cached answer.
 */
@Injectable()
export class PlanNotifications {
  constructor(
    private readonly cases: CasesRepository,
    private readonly settings: SettingsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly directory: DirectoryClient,
    private readonly personalData: PersonalDataClient,
    private readonly config: NotificationConfig,
    private readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  /** `subject`: the case as it is after the event. */
  async plan(event: v1.EventEnvelope, subject: Case): Promise<PlannedDelivery[]> {
    const planned: PlannedDelivery[] = [];
    // A suspended group's events still update its cases; nobody is told of them.
    if (await this.suspendedGroups.isSuspended(event.groupId)) return planned;
    const trigger = triggerOf(event);
    const subscribed = await this.subscriptions.matching(event.groupId, event.type, subject);
    if (!trigger && subscribed.length === 0) return planned;
    const directory = await this.directory.directory(event.groupId);
    const property = directory.properties.find((candidate) => candidate.id === subject.propertyId);
    const timeZone = property?.timeZone || 'Asia/Shanghai';
    if (trigger) {
      const { settings } = await this.settings.forGroup(event.groupId);
      const staff = directory.staff;
      for (const rule of rulesFor(settings.rules, trigger)) {
        for (const recipient of await this.recipients(rule, event, subject, staff)) {
          const params = this.params(
            event,
            trigger,
            subject,
            recipient,
            property?.name ?? subject.propertyId,
            timeZone,
          );
          const template = templateOf(rule, event);
          const { subject: title, text } = render(template, recipient.language, params, settings.wording);
          for (const address of recipient.addresses) {
            planned.push({
              sendTo: address.sendTo,
              delivery: {
                _id: deliveryId(
                  event.eventId,
                  `${recipient.kind === 'complainant' ? 'c' : 's'}:${recipient.id}`,
                  address.channel,
                ),
                groupId: event.groupId,
                eventId: event.eventId,
                eventType: event.type,
                complaintId: event.complaintId,
                recipientKind: recipient.kind,
                recipientId: recipient.id,
                keyId: '',
                channel: address.channel,
                to: address.to,
                template,
                language: recipient.language,
                subject: title,
                text,
                params,
                body: '',
                respectsQuietHours: recipient.complainant && address.channel === 'sms',
                timeZone,
              },
            });
          }
        }
      }
    }
    for (const subscription of subscribed) {
      planned.push({
        secret: subscription.secret,
        delivery: {
          _id: deliveryId(event.eventId, `w:${subscription._id}`, 'webhook'),
          groupId: event.groupId,
          eventId: event.eventId,
          eventType: event.type,
          complaintId: event.complaintId,
          recipientKind: 'partner',
          recipientId: subscription._id,
          keyId: subscription.keyId,
          channel: 'webhook',
          to: subscription.url,
          template: event.type,
          language: 'en',
          subject: '',
          text: '',
          params: {},
          body: JSON.stringify(webhookBody(event, subject)),
          respectsQuietHours: false,
          timeZone,
        },
      });
    }
    return planned;
  }

  private async recipients(
    rule: NotificationRule,
    event: v1.EventEnvelope,
    subject: Case,
    staff: StaffMember[],
  ): Promise<Recipient[]> {
    const channels: readonly Channel[] = rule.channels;
    if (rule.to === 'complainant') {
      // A collective's members are told its outcome: handled once, every member hears (SPEC §3).
      const told = ['resolved', 'closed'].includes(triggerOf(event) ?? '')
        ? [subject, ...(await this.cases.membersOf(subject.groupId, subject._id))]
        : [subject];
      const recipients: Recipient[] = [];
      for (const item of told) {
        // Asked of intake to choose the channel; only the masked address is stored, the clear
        // one lives in memory for the send at once (a retry's activity asks intake again).
        const { contact, erased } = await this.personalData.call.getComplainantContact({
          groupId: item.groupId,
          complaintId: item._id,
        });
        const address = erased ? undefined : complainantAddress(contact);
        if (!address || !channels.includes(address.channel)) continue;
        const parsed = languageSchema.safeParse(item.language);
        recipients.push({
          kind: 'complainant',
          id: item._id,
          language: parsed.success ? parsed.data : 'zh-CN',
          addresses: [{ channel: address.channel, to: maskAddress(address.channel, address.to), sendTo: address.to }],
          number: item.number,
          complainant: true,
        });
      }
      return recipients;
    }
    const members = this.staffFor(rule.to, event, subject, staff);
    return members.map((member) => ({
      kind: rule.to,
      id: member.id,
      language: languageSchema.catch('zh-CN').parse(member.language),
      addresses: staffAddresses(member, channels),
      number: subject.number,
      complainant: false,
    }));
  }

  private staffFor(to: NotificationRule['to'], event: v1.EventEnvelope, subject: Case, staff: StaffMember[]) {
    const byId = (id: string) => staff.filter((member) => id !== '' && member.id === id);
    switch (to) {
      case 'handler':
        return byId(subject.handlerId);
      case 'owner':
        // The owner who is also the handler hears it once, as the handler.
        return subject.ownerId === subject.handlerId ? [] : byId(subject.ownerId);
      case 'property_head':
        return subject.propertyHeadId ? byId(subject.propertyHeadId) : staffInScope(staff, ['property_head'], subject);
      case 'escalation_levels': {
        const escalated = payloadOf(event, 'escalated');
        if (!escalated) return [];
        return staffInScope(staff, [escalated.toLevel, ...escalated.notifyLevels], subject);
      }
      case 'caller':
        return byId(
          payloadOf(event, 'deadline_reminder')?.staff?.id ?? payloadOf(event, 'corrective_action')?.owner?.id ?? '',
        );
      case 'supervisor': {
        const details = JSON.parse(payloadOf(event, 'transitioned')?.detailsJson || '{}') as { supervisorId?: unknown };
        return typeof details.supervisorId === 'string' ? byId(details.supervisorId) : [];
      }
      case 'approver': {
        const details = JSON.parse(payloadOf(event, 'transitioned')?.detailsJson || '{}') as { approver?: unknown };
        return typeof details.approver === 'string' ? staffInScope(staff, [details.approver], subject) : [];
      }
      case 'complainant':
        return [];
      // The handover book's and a work order's people (handover/handover-notices.ts,
      // work-orders/work-order-notices.ts): nobody of a complaint.
      case 'desk':
      case 'ledger_reviewers':
      case 'assignee':
      case 'maintenance_supervisors':
        return [];
    }
  }

  private params(
    event: v1.EventEnvelope,
    trigger: Trigger,
    subject: Case,
    recipient: Recipient,
    propertyName: string,
    timeZone: string,
  ): Record<string, string> {
    const language = recipient.language;
    const deadlines = event.lifecycle?.deadlines ?? subject.deadlines ?? {};
    const time = (iso: string | undefined) => localTime(iso ?? '', timeZone, language);
    const params: Record<string, string> = {
      number: recipient.number,
      property: propertyName,
      severity: word(language, event.lifecycle?.severity || subject.severity),
      firstReplyBy: time(deadlines.firstReplyBy),
      resolveBy: time(deadlines.resolveBy),
      callbackBy: time(deadlines.callbackBy),
      round: String(event.lifecycle?.round ?? 1),
    };
    const reminder = payloadOf(event, 'deadline_reminder') ?? payloadOf(event, 'deadline_breached');
    if (reminder) Object.assign(params, { deadline: word(language, reminder.deadline), dueAt: time(reminder.dueAt) });
    const escalated = payloadOf(event, 'escalated');
    if (escalated) Object.assign(params, { level: word(language, escalated.toLevel), cause: escalated.cause });
    const merged = payloadOf(event, 'merged');
    if (merged) params.into = merged.intoNumber;
    const transitioned = payloadOf(event, 'transitioned');
    if (transitioned && trigger === 'approval_requested') {
      params.request = word(language, transitioned.action === 'propose_plan' ? 'plan' : 'extension');
    }
    if (transitioned && trigger === 'supervision_overdue') {
      const details = JSON.parse(transitioned.detailsJson || '{}') as { dueAt?: unknown; supervisor?: unknown };
      params.dueAt = time(typeof details.dueAt === 'string' ? details.dueAt : undefined);
      params.supervisor = typeof details.supervisor === 'string' ? details.supervisor : '';
    }
    if (transitioned && trigger === 'supervised') {
      const details = JSON.parse(transitioned.detailsJson || '{}') as { dueAt?: unknown; instructions?: unknown };
      params.supervisor = transitioned.actor?.name ?? '';
      // Given with the supervision; a return (supervision_returned) says why the answer was not enough.
      params.instructions = typeof details.instructions === 'string' ? details.instructions : transitioned.reason;
      params.dueAt = time(typeof details.dueAt === 'string' ? details.dueAt : undefined);
    }
    const corrective = payloadOf(event, 'corrective_action');
    if (corrective) Object.assign(params, { dueAt: time(corrective.dueAt), action: corrective.text });
    if (transitioned && trigger === 'survey_sent') params.link = this.surveyLink(event, transitioned.detailsJson);
    if (transitioned && trigger === 'resolved') {
      const details = JSON.parse(transitioned.detailsJson || '{}') as { result?: unknown };
      params.result = typeof details.result === 'string' ? details.result : '';
    }
    return params;
  }

  /** The complainant's link to the survey the event sent: the console's page with a signed token. */
  private surveyLink(event: v1.EventEnvelope, detailsJson: string): string {
    const details = JSON.parse(detailsJson || '{}') as { survey?: unknown };
    const survey = typeof details.survey === 'number' ? details.survey : 0;
    const token = surveyToken(this.config.survey.secret, {
      groupId: event.groupId,
      complaintId: event.complaintId,
      survey,
    });
    return `${this.config.survey.linkBase}${token}`;
  }
}

/**
 * What a partner's endpoint receives: the event, with the complainant's personal data left
 * out (partners read it through the API, where their key's scope and the masking rules apply).
 */
export function webhookBody(event: v1.EventEnvelope, subject: Case) {
  // Generated messages are plain objects: JSON as they are.
  const data: Record<string, unknown> = { ...(event.payload?.value ?? {}) };
  if (data.complaint && typeof data.complaint === 'object') {
    data.complaint = { ...(data.complaint as Record<string, unknown>), complainant: undefined };
  }
  return {
    id: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    groupId: event.groupId,
    complaintId: event.complaintId,
    complaintNumber: subject.number,
    data,
    lifecycle: event.lifecycle ?? null,
  };
}

export type { TemplateKey };

/**
 * The template a rule sends for an event: the result of a complaint resolved as invalid is the
 * not-accepted notice (不予受理, SPEC §3): it says why and announces no callback, which an invalid
 * complaint does not get. Rules name `result`; groups with their own rules table get it too.
 */
export function templateOf(rule: NotificationRule, event: v1.EventEnvelope): TemplateKey {
  const transitioned = payloadOf(event, 'transitioned');
  // A supervision's answer sent back is answered again, by the due time already given.
  if (rule.template === 'supervised' && transitioned?.action === 'return_supervision') return 'supervision_returned';
  if (rule.template !== 'result') return rule.template;
  if (transitioned?.action !== 'resolve') return rule.template;
  const details = JSON.parse(transitioned.detailsJson || '{}') as { validity?: unknown; liability?: unknown };
  if (details.validity === 'invalid') return 'not_accepted';
  // Non-liable (无责任, SPEC §3): explained, and closed without a callback.
  return details.liability === 'non_liable' ? 'not_liable' : rule.template;
}
