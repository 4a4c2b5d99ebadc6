import { Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import type { v1 } from '@complaints/contracts';
import { language as languageSchema, type Language, type Trigger } from '@complaints/domain';
import { payloadOf } from '@complaints/messaging';
import { DirectoryClient } from '@complaints/service-kit';
import type { Channel } from '../channels/channel';
import { deliveryId } from '../deliveries/deliveries.repository';
import type { PlannedDelivery } from '../deliveries/deliver-now';
import { deskOf, ledgerReviewersOf, type StaffMember } from '../deliveries/staff-scope';
import { rulesFor } from '../rules/notification-rules';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { localTime, render } from '../templates/templates';

export type HandoverTrigger = Extract<Trigger, 'handover_to_sign' | 'ledger_day_ready' | 'handover_unsigned'>;

/** An entry as the reminder keeps it: what its messages say, and who is not told (the outgoing shift). */
export interface HandoverEntryFacts {
  groupId: string;
  entryId: string;
  propertyId: string;
  day: string;
  shiftName: string;
  shiftStart: string;
  shiftEnd: string;
  writtenBy: string;
  outgoing: string[];
  followUps: number;
  openComplaints: number;
}

/**
 * What the handover book tells, however it came: a handover event, or the timer of an entry left
 * unsigned. `sourceId` names the fact (the event's id, or the reminder's): the deliveries' ids
 * come from it, so a redelivered event or a retried activity plans the same ones again.
 */
export interface HandoverNotice {
  trigger: HandoverTrigger;
  sourceId: string;
  sourceType: string;
  /** What the deliveries are about (kept as their complaintId): the entry's id, or the ledger day's. */
  recordId: string;
  groupId: string;
  propertyId: string;
  /** Staff never told: the outgoing shift, who may not sign. */
  exclude: string[];
  day: string;
  shiftName: string;
  shiftStart: string;
  shiftEnd: string;
  writtenBy: string;
  followUps: number;
  openComplaints: number;
  entries: number;
  hours: number;
}

/** The entry a handover_written event describes. */
export function entryFactsOf(event: v1.EventEnvelope): HandoverEntryFacts | undefined {
  const written = payloadOf(event, 'handover_written');
  if (!written) return undefined;
  return {
    groupId: event.groupId,
    entryId: written.entryId,
    propertyId: written.propertyId,
    day: written.day,
    shiftName: written.shiftName,
    shiftStart: written.shiftStart,
    shiftEnd: written.shiftEnd,
    writtenBy: written.writtenBy?.name ?? '',
    outgoing: [
      ...new Set([...(written.writtenBy ? [written.writtenBy.id] : []), ...written.onShift.map((staff) => staff.id)]),
    ],
    followUps: written.openFollowUps,
    openComplaints: written.openComplaints,
  };
}

export function entryNotice(
  trigger: HandoverTrigger,
  facts: HandoverEntryFacts,
  source: { id: string; type: string },
  hours = 0,
): HandoverNotice {
  return {
    trigger,
    sourceId: source.id,
    sourceType: source.type,
    recordId: facts.entryId,
    groupId: facts.groupId,
    propertyId: facts.propertyId,
    exclude: facts.outgoing,
    day: facts.day,
    shiftName: facts.shiftName,
    shiftStart: facts.shiftStart,
    shiftEnd: facts.shiftEnd,
    writtenBy: facts.writtenBy,
    followUps: facts.followUps,
    openComplaints: facts.openComplaints,
    entries: 0,
    hours,
  };
}

/**
 * What a handover event tells at once: a new entry (not a correction) is for the desk to read and
 * sign; a signature that leaves the day ready for review is for its reviewers. The rest tells
 * nobody (a correction was announced as the entry; a review or an archive is the reviewer's own).
 */
export function noticeOf(event: v1.EventEnvelope): HandoverNotice | undefined {
  const facts = entryFactsOf(event);
  if (facts && !payloadOf(event, 'handover_written')?.corrected) {
    return entryNotice('handover_to_sign', facts, { id: event.eventId, type: event.type });
  }
  const signed = payloadOf(event, 'handover_signed');
  if (signed?.dayReadyForReview) {
    return {
      trigger: 'ledger_day_ready',
      sourceId: event.eventId,
      sourceType: event.type,
      recordId: `${event.groupId}:${signed.propertyId}:${signed.day}`,
      groupId: event.groupId,
      propertyId: signed.propertyId,
      exclude: [],
      day: signed.day,
      shiftName: signed.shiftName,
      shiftStart: '',
      shiftEnd: signed.shiftEnd,
      writtenBy: '',
      followUps: signed.openFollowUps,
      openComplaints: 0,
      entries: signed.dayEntries,
      hours: 0,
    };
  }
  return undefined;
}

function addresses(member: StaffMember, channels: readonly Channel[]): { channel: Channel; to: string }[] {
  const by: Partial<Record<Channel, string>> = { email: member.email, sms: member.mobile, wechat: member.wechatOpenId };
  return channels.flatMap((channel) => (by[channel] ? [{ channel, to: by[channel] }] : []));
}

/**
 * Turns a handover notice into deliveries to staff, by the group's rules for its trigger (SPEC
 * §7): `desk` is the property's desk without the outgoing shift, `ledger_reviewers` the lowest
 * level at the property that may review its ledger; a complaint's people (handler, owner …) have
 * nothing to do with the handover book and are nobody here. No partner webhook hears of it.
 */
@Injectable()
export class HandoverNotices {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly directory: DirectoryClient,
    private readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  async plan(notice: HandoverNotice): Promise<PlannedDelivery[]> {
    if (await this.suspendedGroups.isSuspended(notice.groupId)) return [];
    const { settings } = await this.settings.forGroup(notice.groupId);
    const rules = rulesFor(settings.rules, notice.trigger);
    if (rules.length === 0) return [];
    const directory = await this.directory.directory(notice.groupId);
    const property = directory.properties.find((candidate) => candidate.id === notice.propertyId);
    const timeZone = property?.timeZone || 'Asia/Shanghai';
    const planned: PlannedDelivery[] = [];
    for (const rule of rules) {
      const members =
        rule.to === 'desk'
          ? deskOf(directory.staff, notice.propertyId, notice.exclude)
          : rule.to === 'ledger_reviewers'
            ? ledgerReviewersOf(directory.staff, notice.propertyId)
            : [];
      for (const member of members) {
        const language = languageSchema.catch('zh-CN').parse(member.language);
        const params = paramsOf(notice, property?.name || notice.propertyId, timeZone, language);
        const { subject, text } = render(rule.template, language, params, settings.wording);
        for (const address of addresses(member, rule.channels)) {
          planned.push({
            delivery: {
              _id: deliveryId(notice.sourceId, `s:${member.id}`, address.channel),
              groupId: notice.groupId,
              eventId: notice.sourceId,
              eventType: notice.sourceType,
              complaintId: notice.recordId,
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
}

/** The `{name}`s the handover templates fill, in the recipient's language and the property's time zone. */
export function paramsOf(
  notice: HandoverNotice,
  propertyName: string,
  timeZone: string,
  language: Language,
): Record<string, string> {
  const clock = (iso: string) => (iso ? formatInTimeZone(new Date(iso), timeZone, 'HH:mm') : '');
  const hours = notice.shiftStart && notice.shiftEnd ? `${clock(notice.shiftStart)}–${clock(notice.shiftEnd)}` : '';
  return {
    property: propertyName,
    day: notice.day,
    shift: [notice.shiftName, hours].filter(Boolean).join(' '),
    shiftEnd: localTime(notice.shiftEnd, timeZone, language),
    writtenBy: notice.writtenBy,
    followUps: String(notice.followUps),
    openComplaints: String(notice.openComplaints),
    entries: String(notice.entries),
    hours: String(notice.hours),
  };
}
