import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { language as languageSchema, type Language, type Trigger } from '@complaints/domain';
import { payloadOf } from '@complaints/messaging';
import { DirectoryClient } from '@complaints/service-kit';
import type { Channel } from '../channels/channel';
import { deliveryId } from '../deliveries/deliveries.repository';
import type { PlannedDelivery } from '../deliveries/deliver-now';
import { maintenanceSupervisorsOf, type StaffMember } from '../deliveries/staff-scope';
import { rulesFor, triggerOf } from '../rules/notification-rules';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { localTime, render, word, workOrderWord } from '../templates/templates';

export type WorkOrderTrigger = Extract<Trigger, 'work_order_assigned' | 'work_order_overdue' | 'work_order_rework'>;

const WORK_ORDER_TRIGGERS: ReadonlySet<Trigger> = new Set<WorkOrderTrigger>([
  'work_order_assigned',
  'work_order_overdue',
  'work_order_rework',
]);

function addresses(member: StaffMember, channels: readonly Channel[]): { channel: Channel; to: string }[] {
  const by: Partial<Record<Channel, string>> = { email: member.email, sms: member.mobile, wechat: member.wechatOpenId };
  return channels.flatMap((channel) => (by[channel] ? [{ channel, to: by[channel] }] : []));
}

/**
 * Turns a work order's step into deliveries to staff, by the group's rules for its trigger (SPEC
 * §7): `assignee` is who the work order is assigned to, `maintenance_supervisors` the supervisors
 * of the property's engineering department (else its property head). Everything a message says
 * comes with the event, so nothing is read but the directory. The deliveries' ids come from the
 * event's (one per step of the work order), so a redelivered event plans the same ones again and
 * an overdue stage, announced once by intake, is told once. No case, and no partner webhook.
 */
@Injectable()
export class WorkOrderNotices {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly directory: DirectoryClient,
    private readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  async plan(event: v1.EventEnvelope): Promise<PlannedDelivery[]> {
    const step = payloadOf(event, 'work_order');
    const trigger = triggerOf(event);
    if (!step || !trigger || !WORK_ORDER_TRIGGERS.has(trigger)) return [];
    if (await this.suspendedGroups.isSuspended(event.groupId)) return [];
    const { settings } = await this.settings.forGroup(event.groupId);
    const rules = rulesFor(settings.rules, trigger);
    if (rules.length === 0) return [];
    const directory = await this.directory.directory(event.groupId);
    const property = directory.properties.find((candidate) => candidate.id === step.propertyId);
    const timeZone = property?.timeZone || 'Asia/Shanghai';
    const assigneeId = step.assignee?.id ?? '';
    const planned: PlannedDelivery[] = [];
    for (const rule of rules) {
      const members =
        rule.to === 'assignee'
          ? directory.staff.filter((member) => assigneeId !== '' && member.id === assigneeId && !member.inactive)
          : rule.to === 'maintenance_supervisors'
            ? maintenanceSupervisorsOf(directory.staff, directory.departments, step.propertyId)
            : [];
      for (const member of members) {
        const language = languageSchema.catch('zh-CN').parse(member.language);
        const params = paramsOf(step, property?.name || step.propertyId, timeZone, language);
        const { subject, text } = render(rule.template, language, params, settings.wording);
        for (const address of addresses(member, rule.channels)) {
          planned.push({
            delivery: {
              _id: deliveryId(event.eventId, `s:${member.id}`, address.channel),
              groupId: event.groupId,
              eventId: event.eventId,
              eventType: event.type,
              // The work order's key (work-order:<id>): what the deliveries are about.
              complaintId: event.complaintId,
              recipientKind: rule.to,
              recipientId: member.id,
              keyId: '',
              channel: address.channel,
              to: address.to,
              template: rule.template,
              language,
              subject,
              text,
              params,
              body: '',
              respectsQuietHours: false,
              timeZone,
            },
          });
        }
      }
    }
    // One message per person and channel: an assignee who is also the supervisor hears it once.
    const seen = new Set<string>();
    return planned.filter((item) => !seen.has(item.delivery._id) && seen.add(item.delivery._id));
  }
}

/** The `{name}`s the work-order templates fill, in the recipient's language and the property's time zone. */
export function paramsOf(
  step: v1.WorkOrderStepped,
  propertyName: string,
  timeZone: string,
  language: Language,
): Record<string, string> {
  const dueAt = step.stage === 'completion' ? step.completeBy : step.stage === 'arrival' ? step.arriveBy : '';
  return {
    number: step.number,
    property: propertyName,
    location: step.location || '—',
    trade: workOrderWord(language, 'trade', step.trade),
    urgency: workOrderWord(language, 'urgency', step.urgency),
    arriveBy: localTime(step.arriveBy, timeZone, language),
    completeBy: localTime(step.completeBy, timeZone, language),
    stage: step.stage ? workOrderWord(language, 'stage', step.stage) : '',
    dueAt: dueAt ? localTime(dueAt, timeZone, language) : '',
    assignee: step.assignee?.name || word(language, 'work_order:unassigned'),
    rating: String(step.rating),
    reworks: String(step.reworks),
  };
}
