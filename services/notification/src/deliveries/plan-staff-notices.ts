import { language as languageSchema, type Language, type Trigger } from '@complaints/domain';
import type { v1 } from '@complaints/contracts';
import type { DirectoryClient } from '@complaints/service-kit';
import type { Channel } from '../channels/channel';
import { rulesFor, type NotificationRule } from '../rules/notification-rules';
import type { SettingsRepository } from '../settings/settings.repository';
import type { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { render } from '../templates/templates';
import { deliveryId } from './deliveries.repository';
import type { PlannedDelivery } from './deliver-now';
import type { StaffMember } from './staff-scope';

/** A staff member's addresses on the rule's channels (those they have). */
export function staffAddresses(member: StaffMember, channels: readonly Channel[]): { channel: Channel; to: string }[] {
  const by: Partial<Record<Channel, string>> = { email: member.email, sms: member.mobile, wechat: member.wechatOpenId };
  return channels.flatMap((channel) => (by[channel] ? [{ channel, to: by[channel] }] : []));
}

/** What a notice about a record other than a complaint (a handover, a work order) is about. */
export interface StaffNotice {
  groupId: string;
  trigger: Trigger;
  propertyId: string;
  /** The event (or timer) it comes from: a delivery's id is made from it, so a repeat sends nothing again. */
  sourceId: string;
  sourceType: string;
  /** The record's key, kept where a complaint's deliveries keep the complaint id. */
  recordKey: string;
}

/**
 * Deliveries to staff by the group's rules for the trigger (SPEC §7), for notices about no
 * complaint: `membersFor` says whom each rule's recipient names, `paramsFor` fills the template
 * in the recipient's language and the property's time zone. Staff messages keep no quiet hours.
 */
export async function planStaffNotices(
  deps: {
    settings: SettingsRepository;
    directory: DirectoryClient;
    suspendedGroups: SuspendedGroupsRepository;
  },
  notice: StaffNotice,
  membersFor: (rule: NotificationRule, directory: v1.ListDirectoryResponse) => StaffMember[],
  paramsFor: (propertyName: string, timeZone: string, language: Language) => Record<string, string>,
): Promise<PlannedDelivery[]> {
  if (await deps.suspendedGroups.isSuspended(notice.groupId)) return [];
  const { settings } = await deps.settings.forGroup(notice.groupId);
  const rules = rulesFor(settings.rules, notice.trigger);
  if (rules.length === 0) return [];
  const directory = await deps.directory.directory(notice.groupId);
  const property = directory.properties.find((candidate) => candidate.id === notice.propertyId);
  const timeZone = property?.timeZone || 'Asia/Shanghai';
  const planned: PlannedDelivery[] = [];
  for (const rule of rules) {
    for (const member of membersFor(rule, directory)) {
      const language = languageSchema.catch('zh-CN').parse(member.language);
      const params = paramsFor(property?.name || notice.propertyId, timeZone, language);
      const { subject, text } = render(rule.template, language, params, settings.wording);
      for (const address of staffAddresses(member, rule.channels)) {
        planned.push({
          delivery: {
            _id: deliveryId(notice.sourceId, `s:${member.id}`, address.channel),
            groupId: notice.groupId,
            eventId: notice.sourceId,
            eventType: notice.sourceType,
            complaintId: notice.recordKey,
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
  // One message per person and channel, should two rules name the same one (the first rule's).
  const seen = new Set<string>();
  return planned.filter((item) => !seen.has(item.delivery._id) && seen.add(item.delivery._id));
}
