import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { language as languageSchema, PERIOD_KINDS } from '@complaints/domain';
import { DirectoryClient, invalidArgument } from '@complaints/service-kit';
import { deliveryId, DeliveriesRepository, type Delivery, type NewDelivery } from '../deliveries/deliveries.repository';
import { DispatchDelivery } from '../deliveries/dispatch-delivery';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { ReportDeliveriesRepository } from './report-deliveries.repository';
import { reportMail } from './report-mail';
import { parseReportScope, reportRecipients } from './report-recipients';

const NO_ADDRESS = 'no e-mail address in the directory';

/**
 * A stored scheduled report, handed over by reporting, to the heads of its scope by e-mail with
 * its XLSX attached (SPEC §7, §8). Each delivery is stored first under an id made of the report
 * and the recipient, then sent by its delivery workflow (one per delivery: starting it again is a
 * no-op), which fetches the file from reporting at each attempt and retries as any delivery. So a
 * hand-over repeated after a restart of either service sends nobody the report twice, and one cut
 * off part-way is completed by the repetition. A head without an e-mail address is recorded as not
 * reached, with the reason.
 */
@Injectable()
export class DeliverReport {
  constructor(
    private readonly directory: DirectoryClient,
    private readonly deliveries: DeliveriesRepository,
    private readonly reports: ReportDeliveriesRepository,
    private readonly dispatch: DispatchDelivery,
    private readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  async deliver(request: v1.DeliverReportRequest, now = new Date()): Promise<Delivery[]> {
    const scope = parseReportScope(request.scope);
    const problems = [
      ...(scope ? [] : [{ path: ['scope'], message: 'must be group, region:<id> or property:<id>' }]),
      ...(request.reportId ? [] : [{ path: ['reportId'], message: 'is required' }]),
      ...((PERIOD_KINDS as readonly string[]).includes(request.periodKind)
        ? []
        : [{ path: ['periodKind'], message: `must be one of ${PERIOD_KINDS.join(', ')}` }]),
    ];
    if (!scope || problems.length > 0) throw invalidArgument('report', problems);
    // A suspended group is told nothing.
    if (await this.suspendedGroups.isSuspended(request.groupId)) return [];

    const language = languageSchema.catch('zh-CN').parse(request.language);
    const { subject, text } = reportMail(language, {
      kind: request.periodKind,
      key: request.periodKey,
      scope: request.scope,
      scopeName: request.scopeName,
      firstDay: request.firstDay,
      lastDay: request.lastDay,
    });
    const eventId = `report:${request.reportId}`;
    const { staff } = await this.directory.directory(request.groupId);
    const planned: NewDelivery[] = reportRecipients(staff, scope).map((member) => ({
      _id: deliveryId(eventId, `s:${member.id}`, 'email'),
      groupId: request.groupId,
      eventId,
      eventType: 'report',
      complaintId: '',
      recipientKind: member.roleLevel,
      recipientId: member.id,
      keyId: '',
      channel: 'email',
      to: member.email,
      template: 'report',
      language,
      subject,
      text,
      params: { period: request.periodKey, scope: request.scope },
      body: '',
      // Reports go out at 09:00 on working days: quiet hours do not hold them, so no zone is needed.
      respectsQuietHours: false,
      timeZone: 'Asia/Shanghai',
      reportId: request.reportId,
    }));
    const stored = await this.deliveries.storeAll(planned, now);
    await this.reports.add(
      request.groupId,
      request.reportId,
      stored.map((delivery) => delivery._id),
      now,
    );
    const unaddressed = stored.filter((delivery) => delivery.to === '' && delivery.status === 'pending');
    await this.deliveries.recordOutcomes(
      unaddressed.map((delivery) => ({
        id: delivery._id,
        status: 'dead',
        attempt: { number: 1, at: now, ok: false, providerResponse: '', error: NO_ADDRESS },
      })),
    );
    for (const delivery of stored) {
      if (delivery.to === '' || delivery.status === 'sent' || delivery.status === 'dead') continue;
      // Pending: not started yet, or started before a restart (a no-op then).
      await this.dispatch.start(delivery._id);
    }
    const settled = new Set(unaddressed.map((delivery) => delivery._id));
    return stored.map((delivery) =>
      settled.has(delivery._id)
        ? {
            ...delivery,
            status: 'dead',
            attempts: [{ number: 1, at: now, ok: false, providerResponse: '', error: NO_ADDRESS }],
          }
        : delivery,
    );
  }
}
