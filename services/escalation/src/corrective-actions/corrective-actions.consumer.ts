import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';
import { EventBus, payloadOf } from '@complaints/messaging';
import { DirectoryClient } from '@complaints/service-kit';
import { LifecycleRecords } from '../lifecycle/lifecycle-records';
import { ComplaintIntakeClient } from './complaint-intake.client';
import { CorrectiveActions } from './corrective-actions.service';

/** Routing's rules that mean a problem recurs: the same complainant again, or many at once. */
export const RECURRING_RULES = new Set(['repeat', 'collective']);
/** A recurring problem's action is due this long after routing saw it recur. */
export const RECURRING_DUE_DAYS = 14;
/** A nonconforming spot check's follow-up is due this long after the check. */
export const SPOT_CHECK_DUE_DAYS = 14;

/**
 * Opens corrective actions from what already happened (durable consumer
 * `escalation-corrective-actions`): a resolution naming one, and a complaint routing found to be
 * a recurring problem, and the follow-up a quality spot check (品质部抽查) found nonconforming asks
 * for; the property head owns those two (or, without one, the most senior staff member of the
 * department handling it there), and someone else verifies them, as the quality department does.
 */
@Injectable()
export class CorrectiveActionsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(CorrectiveActionsConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly actions: CorrectiveActions,
    private readonly lifecycles: LifecycleRecords,
    private readonly directory: DirectoryClient,
    private readonly intake: ComplaintIntakeClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume(
      { name: 'escalation-corrective-actions', types: ['transitioned', 'routed', 'note_added'] },
      (event) => this.handle(event),
    );
  }

  async handle(event: v1.EventEnvelope): Promise<void> {
    const transitioned = payloadOf(event, 'transitioned');
    if (transitioned?.action === 'resolve') await this.fromResolution(event, transitioned);
    const routed = payloadOf(event, 'routed');
    if (routed && !routed.mergedInto && routed.firedRules.some((rule) => RECURRING_RULES.has(rule))) {
      await this.fromRecurrence(event, routed);
    }
    const check = payloadOf(event, 'note_added')?.spotCheck;
    if (check?.verdict === 'nonconforming' && check.followUp.trim() !== '') await this.fromSpotCheck(event, check);
  }

  private async fromSpotCheck(event: v1.EventEnvelope, check: v1.SpotCheck): Promise<void> {
    const { complaint } = await this.intake.call.getComplaint({
      groupId: event.groupId,
      complaintId: event.complaintId,
    });
    if (!complaint) {
      this.logger.warn(
        `spot check of complaint ${event.complaintId}, which intake does not know: no corrective action`,
      );
      return;
    }
    const owner = await this.recurringOwner(event.groupId, complaint.propertyId, complaint.departmentId ?? '');
    if (!owner) {
      this.logger.warn(`no property head or department staff at ${complaint.propertyId}: no corrective action opened`);
      return;
    }
    await this.actions.open({
      // One per check: the event's id is the check's, however often it is delivered.
      id: `spot-check:${event.eventId}`,
      groupId: event.groupId,
      propertyId: complaint.propertyId,
      regionId: complaint.regionId,
      complaintId: event.complaintId,
      source: 'spot_check',
      category: '',
      description: `品质抽查不合格（${complaint.number}：${check.findings}）：${check.followUp}`,
      owner,
      dueAt: new Date(Date.parse(event.occurredAt) + SPOT_CHECK_DUE_DAYS * 86_400_000).toISOString(),
      createdAt: event.occurredAt,
    });
  }

  private async fromResolution(event: v1.EventEnvelope, transitioned: v1.LifecycleTransitioned): Promise<void> {
    const details = JSON.parse(transitioned.detailsJson || '{}') as {
      correctiveAction?: { description: string; owner: { id: string; name: string }; dueAt: string };
    };
    const planned = details.correctiveAction;
    if (!planned) return;
    const lifecycle = await this.lifecycles.read(event.groupId, event.complaintId);
    // Written before the workflow publishes anything; missing, it is redelivered later.
    if (!lifecycle) throw new Error(`no lifecycle record for complaint ${event.complaintId} yet`);
    await this.actions.open({
      id: `${event.complaintId}:round-${event.lifecycle?.round ?? 1}`,
      groupId: event.groupId,
      propertyId: lifecycle.propertyId,
      regionId: lifecycle.regionId,
      complaintId: event.complaintId,
      source: 'resolution',
      category: '',
      description: planned.description,
      owner: planned.owner,
      dueAt: planned.dueAt,
      createdAt: event.occurredAt,
    });
  }

  private async fromRecurrence(event: v1.EventEnvelope, routed: v1.ComplaintRouted): Promise<void> {
    const owner = await this.recurringOwner(event.groupId, routed.propertyId, routed.departmentId);
    if (!owner) {
      this.logger.warn(`no property head or department staff at ${routed.propertyId}: no corrective action opened`);
      return;
    }
    const why =
      routed.reasons.find((reason) => /earlier complaint|collective/.test(reason)) ?? routed.firedRules.join(', ');
    await this.actions.open({
      id: `recurring:${event.complaintId}`,
      groupId: event.groupId,
      propertyId: routed.propertyId,
      regionId: routed.regionId,
      complaintId: event.complaintId,
      source: 'recurring',
      category: routed.category,
      description: `同类问题重复发生（${routed.number}，${routed.category}：${why}）：查明根本原因，制定并落实纠正与预防措施`,
      owner,
      dueAt: new Date(Date.parse(event.occurredAt) + RECURRING_DUE_DAYS * 86_400_000).toISOString(),
      createdAt: event.occurredAt,
    });
  }

  /** The property head, or else the most senior of the department there. */
  private async recurringOwner(groupId: string, propertyId: string, departmentId: string) {
    const { staff } = await this.directory.directory(groupId);
    const here = staff.filter((member) => !member.inactive && member.propertyIds.includes(propertyId));
    const head = here.find((member) => member.roleLevel === 'property_head');
    const rank = (level: string) => ROLE_LEVELS.indexOf(level as RoleLevel);
    const senior = here
      .filter((member) => departmentId !== '' && member.departmentId === departmentId)
      .sort((a, b) => rank(b.roleLevel) - rank(a.roleLevel))[0];
    const owner = head ?? senior;
    return owner ? { id: owner.id, name: owner.name } : undefined;
  }
}
