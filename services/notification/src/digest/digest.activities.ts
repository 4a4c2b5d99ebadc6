import { addDays } from 'date-fns';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { language as languageSchema } from '@complaints/domain';
import type { v1 } from '@complaints/contracts';
import type { CasesRepository } from '../cases/cases.repository';
import type { Channel } from '../channels/channel';
import { deliveryId } from '../deliveries/deliveries.repository';
import type { DeliverNow, PlannedDelivery } from '../deliveries/deliver-now';
import type { SettingsRepository } from '../settings/settings.repository';
import type { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { localTime, render, word } from '../templates/templates';

/** The next digest time after `now`: today's if it is still ahead, else tomorrow's, in the group's zone. */
export function nextDigestTime(now: Date, at: string, timeZone: string): { at: Date; localDate: string } {
  const today = formatInTimeZone(now, timeZone, 'yyyy-MM-dd');
  const todays = fromZonedTime(`${today}T${at}:00`, timeZone);
  if (todays.getTime() > now.getTime()) return { at: todays, localDate: today };
  const tomorrow = formatInTimeZone(addDays(todays, 1), timeZone, 'yyyy-MM-dd');
  return { at: fromZonedTime(`${tomorrow}T${at}:00`, timeZone), localDate: tomorrow };
}

export function createDigestActivities(deps: {
  settings: Pick<SettingsRepository, 'forGroup'>;
  cases: Pick<CasesRepository, 'openByHandler'>;
  directory: { directory(groupId: string): Promise<v1.ListDirectoryResponse> };
  /** Sends at once like any event's deliveries; a failed send goes to its workflow to retry. */
  deliverNow: Pick<DeliverNow, 'deliver'>;
  /** A suspended group's staff get no digest. */
  suspendedGroups?: Pick<SuspendedGroupsRepository, 'isSuspended'>;
}) {
  return {
    async nextDigestAt(groupId: string, now: string): Promise<{ at: string; localDate: string }> {
      const { settings } = await deps.settings.forGroup(groupId);
      const next = nextDigestTime(new Date(now), settings.digest.at, settings.digest.timeZone);
      return { at: next.at.toISOString(), localDate: next.localDate };
    },

    /** One digest per handler with open items, once per day (the date is part of its id). */
    async sendDigests(groupId: string, localDate: string): Promise<number> {
      if (await deps.suspendedGroups?.isSuspended(groupId)) return 0;
      const { settings } = await deps.settings.forGroup(groupId);
      const [open, directory] = await Promise.all([
        deps.cases.openByHandler(groupId),
        deps.directory.directory(groupId),
      ]);
      const eventId = `digest:${groupId}:${localDate}`;
      const planned: PlannedDelivery[] = [];
      let sent = 0;
      for (const [handlerId, items] of open) {
        const member = directory.staff.find((candidate) => candidate.id === handlerId);
        if (!member) continue;
        const language = languageSchema.catch('zh-CN').parse(member.language);
        const lines = items.map((item) => {
          const deadlines = item.deadlines ?? {};
          const due = deadlines.resolveBy || deadlines.firstReplyBy || '';
          return `- ${item.number} · ${word(language, item.severity)} · ${item.status} · ${localTime(due, settings.digest.timeZone, language)}`;
        });
        const params = { count: String(items.length), items: lines.join('\n') };
        const { subject, text } = render('digest', language, params, settings.wording);
        const addresses: { channel: Channel; to: string }[] = [
          ...(member.email ? [{ channel: 'email' as const, to: member.email }] : []),
          ...(member.wechatOpenId ? [{ channel: 'wechat' as const, to: member.wechatOpenId }] : []),
        ];
        for (const address of addresses) {
          planned.push({
            delivery: {
              _id: deliveryId(eventId, `s:${member.id}`, address.channel),
              groupId,
              eventId,
              eventType: 'digest',
              complaintId: '',
              recipientKind: 'handler',
              recipientId: member.id,
              keyId: '',
              channel: address.channel,
              to: address.to,
              template: 'digest',
              language,
              subject,
              text,
              params,
              body: '',
              respectsQuietHours: false,
              timeZone: settings.digest.timeZone,
            },
          });
        }
        if (addresses.length > 0) sent++;
      }
      // The activity run again (a worker crash) sends only what is not recorded as sent.
      await deps.deliverNow.deliver(planned);
      return sent;
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
