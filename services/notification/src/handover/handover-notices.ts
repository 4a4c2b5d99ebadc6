import { Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import type { v1 } from '@complaints/contracts';
import type { Language, Trigger } from '@complaints/domain';
import { payloadOf } from '@complaints/messaging';
import { DirectoryClient } from '@complaints/service-kit';
import type { PlannedDelivery } from '../deliveries/deliver-now';
import { planStaffNotices } from '../deliveries/plan-staff-notices';
import { deskOf, ledgerReviewersOf } from '../deliveries/staff-scope';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { localTime } from '../templates/templates';

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

/**
 * Turns a handover notice into deliveries to staff, by the group's rules for its trigger (SPEC
 * §7): `desk` is the property's desk without the outgoing shift, `ledger_reviewers` the lowest
 * level at the property that may review its ledger; a complaint's people (handler, owner …) have
 * nothing to do with the handover book and are nobody here. No partner webhook hears of it.
 */
@Injectable()
export class HandoverNotices {
  constructor(
    readonly settings: SettingsRepository,
    readonly directory: DirectoryClient,
    readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  plan(notice: HandoverNotice): Promise<PlannedDelivery[]> {
    return planStaffNotices(
      this,
      { ...notice, recordKey: notice.recordId },
      (rule, directory) =>
        rule.to === 'desk'
          ? deskOf(directory.staff, notice.propertyId, notice.exclude)
          : rule.to === 'ledger_reviewers'
            ? ledgerReviewersOf(directory.staff, notice.propertyId)
            : [],
      (propertyName, timeZone, language) => paramsOf(notice, propertyName, timeZone, language),
    );
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
