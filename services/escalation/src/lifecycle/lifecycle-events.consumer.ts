import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { severity } from '@complaints/domain';
import { EventBus, payloadOf } from '@complaints/messaging';
import { StartLifecycle } from './use-cases/start-lifecycle';
import { SignalLifecycle } from './use-cases/signal-lifecycle';

/** Channels and rules that mean the group's reputation is at stake: HQ is told at once (SPEC §6). The
 * rule id is the default rules' media keyword rule. */
const HQ_CHANNELS = new Set(['government_referral', 'social_media']);
const HQ_RULES = new Set(['keyword:media']);

/**
 * Starts one lifecycle per routed complaint and passes on what happens to it elsewhere
 * (durable consumer `escalation`). The start is here, off the request path: the partner's
 * POST never waits for Temporal.
 *
 * Per complaint: one workflow start (its policy and calendar from PoliciesRepository's cache:
 * no store round trip in the steady state), then one signal per later event, which reads
 * nothing. The consumer handles several complaints at once (one complaint's events in order):
 * the only state shared across complaints here is that cache, which is safe to share (reads
 * only, one read in flight per document) and the Temporal client, which is built for it.
 */
@Injectable()
export class LifecycleEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(LifecycleEventsConsumer.name);

  constructor(
    private readonly bus: EventBus,
    private readonly startLifecycle: StartLifecycle,
    private readonly signals: SignalLifecycle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume(
      { name: 'escalation', types: ['routed', 'withdrawn', 'merged', 'unmerged', 'reclassified', 'reassigned'] },
      (event) => this.handle(event),
    );
  }

  /** One delivered event; redelivered ones change nothing (a second start or a repeated signal is a no-op). */
  async handle(event: v1.EventEnvelope): Promise<void> {
    const withdrawn = payloadOf(event, 'withdrawn');
    if (withdrawn) await this.signals.withdraw(event.complaintId, withdrawn.reason);
    const merged = payloadOf(event, 'merged');
    if (merged) await this.signals.merge(event.complaintId, merged.intoComplaintId);
    const unmerged = payloadOf(event, 'unmerged');
    if (unmerged) {
      const actor = unmerged.actor?.id ? { id: unmerged.actor.id, name: unmerged.actor.name } : null;
      const sent = await this.signals.unmerge(event.complaintId, { actor, reason: unmerged.reason });
      // Merged when routed, it never had a lifecycle: its own starts now.
      if (sent === 'no-lifecycle' && unmerged.routed) await this.start(event, unmerged.routed);
    }
    const reclassified = payloadOf(event, 'reclassified');
    const newSeverity = severity.safeParse(reclassified?.severity);
    if (reclassified && newSeverity.success) {
      await this.signals.changeSeverity(event.complaintId, {
        severity: newSeverity.data,
        actor: reclassified.actor ? { id: reclassified.actor.id, name: reclassified.actor.name } : null,
        reason: reclassified.reason,
      });
    }
    const reassigned = payloadOf(event, 'reassigned');
    const staff = (actor: v1.Actor | undefined) => (actor?.id ? { id: actor.id, name: actor.name } : null);
    if (reassigned?.propertyId) {
      await this.signals.move(event.complaintId, {
        propertyId: reassigned.propertyId,
        regionId: reassigned.regionId ?? '',
        handler: staff(reassigned.handler),
        propertyHead: staff(reassigned.propertyHead),
        actor: staff(reassigned.actor),
        reason: reassigned.reason,
      });
    } else if (reassigned?.handler) {
      await this.signals.changeHandler(event.complaintId, {
        id: reassigned.handler.id,
        name: reassigned.handler.name,
      });
    }
    const routed = payloadOf(event, 'routed');
    // Answered at first contact, or handled as part of another complaint: nothing of its own to enforce.
    if (routed && !routed.resolvedAtFirstContact && !routed.mergedInto) await this.start(event, routed);
  }

  private async start(event: v1.EventEnvelope, routed: v1.ComplaintRouted): Promise<void> {
    const parsedSeverity = severity.safeParse(routed.severity);
    if (!parsedSeverity.success) {
      this.logger.error(`event ${event.eventId} has unknown severity "${routed.severity}"; no lifecycle started`);
      return;
    }
    const staff = (actor: v1.Actor | undefined) => (actor?.id ? { id: actor.id, name: actor.name } : null);
    await this.startLifecycle.execute({
      groupId: event.groupId,
      complaintId: event.complaintId,
      number: routed.number,
      propertyId: routed.propertyId,
      regionId: routed.regionId,
      channel: routed.channel,
      category: routed.category,
      severity: parsedSeverity.data,
      department: routed.department,
      receivedAt: routed.receivedAt,
      requestedBy: routed.requestedBy || undefined,
      handler: staff(routed.handler),
      propertyHead: staff(routed.propertyHead),
      alertGroupHq: HQ_CHANNELS.has(routed.channel) || routed.firedRules.some((rule) => HQ_RULES.has(rule)),
    });
  }
}
