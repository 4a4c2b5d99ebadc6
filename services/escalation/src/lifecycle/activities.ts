import type { v1 } from '@complaints/contracts';
import { createEvent, type EventBus, type EventHeader } from '@complaints/messaging';
import { metrics } from '@complaints/service-kit';
import type { LifecycleRecords } from './lifecycle-records';
import type { LifecycleState, PublishLifecycleEventInput } from './types';

/** Activities get their clients injected, so tests can run them against real servers or record calls. */
export function createActivities(deps: { bus: Pick<EventBus, 'publish'>; records: Pick<LifecycleRecords, 'write'> }) {
  /** Idempotent: a retried activity publishes the same event id (from eventKey), which JetStream drops. */
  async function publishLifecycleEvent(input: PublishLifecycleEventInput): Promise<void> {
    const header: EventHeader = {
      groupId: input.groupId,
      complaintId: input.complaintId,
      occurredAt: new Date(input.occurredAt),
      idempotencyKey: input.eventKey,
      lifecycle: {
        status: input.status,
        severity: input.severity,
        level: input.level,
        round: input.round,
        deadlines: input.deadlines,
        awaitingApprovalLevel: input.awaitingApprovalLevel ?? '',
      },
    };
    const { duplicate } = await deps.bus.publish(envelopeOf(input, header));
    // A retried activity publishes the same event again (a duplicate): one breach, counted once.
    if (input.event.kind === 'breached' && !duplicate) {
      // A platform miss is the platform's (it started the lifecycle late), never staff's: alerts tell them apart.
      metrics.deadlineBreaches.inc({
        severity: input.severity,
        deadline: input.event.deadline,
        cause: input.event.cause ?? 'missed',
      });
    }
  }

  return {
    /** One event per activity: what lifecycles started before batching still schedule. */
    publishLifecycleEvent,

    /**
     * The events of one workflow step, in order, one after the other (a complaint's events are
     * consumed in the order they were published). A retry after a partial failure publishes
     * the ones already out again, which JetStream drops as duplicates (same event ids).
     * With `record`, the state after the step is kept in the lifecycle records (the last batch
     * of a step carries it).
     */
    async publishLifecycleEvents(inputs: PublishLifecycleEventInput[], record?: LifecycleState): Promise<void> {
      // Recorded first: whoever reacts to an event reads a record at least as new as the event.
      if (record) await deps.records.write(record);
      for (const input of inputs) await publishLifecycleEvent(input);
    },
  };
}

function envelopeOf(input: PublishLifecycleEventInput, header: EventHeader): v1.EventEnvelope {
  const event = input.event;
  switch (event.kind) {
    case 'transitioned':
      return createEvent('transitioned', header, {
        action: event.action,
        fromStatus: event.from,
        toStatus: event.to,
        actor: event.actor
          ? {
              kind: 'staff',
              id: event.actor.id,
              name: event.actor.name,
              ...(event.actor.via ? { viaKeyId: event.actor.via.keyId, viaKeyName: event.actor.via.name } : {}),
            }
          : undefined,
        reason: event.reason,
        detailsJson: JSON.stringify(event.details),
      });
    case 'reminder':
      return createEvent('deadline_reminder', header, {
        deadline: event.deadline,
        dueAt: event.dueAt,
        ...(event.staff ? { staff: { kind: 'staff', id: event.staff.id, name: event.staff.name } } : {}),
      });
    case 'breached':
      return createEvent('deadline_breached', header, {
        deadline: event.deadline,
        dueAt: event.dueAt,
        severity: input.severity,
        cause: event.cause,
      });
    case 'escalated':
      return createEvent('escalated', header, {
        fromLevel: event.from,
        toLevel: event.to,
        cause: event.cause,
        notifyLevels: event.notify,
      });
  }
}
