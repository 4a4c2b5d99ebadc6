import type { v1 } from '@complaints/contracts';
import { createEvent, type EventBus, type EventHeader } from '@complaints/messaging';
import { metrics } from '@complaints/service-kit';
import type { PublishLifecycleEventInput } from './types';

/** Activities get their clients injected, so tests can run them against real servers or record calls. */
export function createActivities(deps: { bus: Pick<EventBus, 'publish'> }) {
  return {
    /** Idempotent: a retried activity publishes the same event id (from eventKey), which JetStream drops. */
    async publishLifecycleEvent(input: PublishLifecycleEventInput): Promise<void> {
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
        },
      };
      const { duplicate } = await deps.bus.publish(envelopeOf(input, header));
      // A retried activity publishes the same event again (a duplicate): one breach, counted once.
      if (input.event.kind === 'breached' && !duplicate) {
        metrics.deadlineBreaches.inc({ severity: input.severity, deadline: input.event.deadline });
      }
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
        actor: event.actor ? { kind: 'staff', ...event.actor } : undefined,
        reason: event.reason,
        detailsJson: JSON.stringify(event.details),
      });
    case 'reminder':
      return createEvent('deadline_reminder', header, { deadline: event.deadline, dueAt: event.dueAt });
    case 'breached':
      return createEvent('deadline_breached', header, {
        deadline: event.deadline,
        dueAt: event.dueAt,
        severity: input.severity,
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
