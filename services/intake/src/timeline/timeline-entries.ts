import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import { actorOf } from '@complaints/service-kit';
import type { NewTimelineEntry } from './timeline.repository';

const SYSTEM = (name: string) => ({ kind: 'system', id: name, name });

/**
 * What each event adds to a complaint's timeline. No personal data: the timeline is
 * shown to everyone who may see the complaint; names and contacts stay on the record.
 */
export function timelineEntryFor(event: v1.EventEnvelope): NewTimelineEntry | undefined {
  const base = { sourceId: event.eventId, at: new Date(event.occurredAt) };
  const registered = payloadOf(event, 'registered')?.complaint;
  if (registered) {
    return {
      ...base,
      type: registered.resolvedAtFirstContact ? 'registered_and_closed' : 'registered',
      actor: actorOf(registered.registeredBy),
      details: {
        number: registered.number,
        channel: registered.channel,
        propertyId: registered.propertyId,
        receivedAt: registered.receivedAt,
        ...(registered.resolvedAtFirstContact ? { firstContactAnswer: registered.firstContactAnswer } : {}),
      },
    };
  }
  const erased = payloadOf(event, 'personal_data_erased');
  if (erased) {
    // Which request (or retention) erased it, nothing of what was erased.
    return {
      ...base,
      type: 'personal_data_erased',
      actor: SYSTEM('intake'),
      details: { reason: erased.reason, requestId: erased.requestId || null },
    };
  }
  const routed = payloadOf(event, 'routed');
  if (routed) {
    return {
      ...base,
      type: 'routed',
      actor: SYSTEM('routing'),
      details: {
        category: routed.category,
        severity: routed.severity,
        department: routed.department,
        handler: routed.handler?.name ?? null,
        propertyHead: routed.propertyHead?.name ?? null,
        reasons: routed.reasons,
      },
    };
  }
  const breached = payloadOf(event, 'deadline_breached');
  if (breached) {
    return {
      ...base,
      type: 'deadline_breached',
      actor: SYSTEM('escalation'),
      details: { deadline: breached.deadline, dueAt: breached.dueAt, level: event.lifecycle?.level ?? null },
    };
  }
  const transitioned = payloadOf(event, 'transitioned');
  if (transitioned) {
    return {
      ...base,
      // The action: acknowledge, propose_plan, resolve, record_callback, reopen, close …
      type: transitioned.action,
      actor: transitioned.actor?.id ? actorOf(transitioned.actor) : SYSTEM('escalation'),
      details: {
        from: transitioned.fromStatus,
        to: transitioned.toStatus,
        ...(transitioned.reason ? { reason: transitioned.reason } : {}),
        ...(JSON.parse(transitioned.detailsJson || '{}') as Record<string, unknown>),
        deadlines: event.lifecycle?.deadlines ?? {},
      },
    };
  }
  const reminder = payloadOf(event, 'deadline_reminder');
  if (reminder) {
    return {
      ...base,
      type: 'deadline_reminder',
      actor: SYSTEM('escalation'),
      details: { deadline: reminder.deadline, dueAt: reminder.dueAt },
    };
  }
  const corrective = payloadOf(event, 'corrective_action');
  // Overdue is on the timeline already, as the reminder its owner is sent (correctiveActionOverdue).
  if (corrective && corrective.step !== 'overdue') {
    return {
      ...base,
      type: 'corrective_action',
      actor: corrective.actor?.id ? actorOf(corrective.actor) : SYSTEM('escalation'),
      details: {
        correctiveActionId: corrective.correctiveActionId,
        step: corrective.step,
        status: corrective.status,
        owner: corrective.owner?.name ?? '',
        dueAt: corrective.dueAt,
        source: corrective.source,
        ...(corrective.text ? { text: corrective.text } : {}),
      },
    };
  }
  const escalated = payloadOf(event, 'escalated');
  if (escalated) {
    return {
      ...base,
      type: 'escalated',
      actor: SYSTEM('escalation'),
      details: {
        from: escalated.fromLevel,
        to: escalated.toLevel,
        cause: escalated.cause,
        notify: escalated.notifyLevels,
      },
    };
  }
  const withdrawn = payloadOf(event, 'withdrawn');
  if (withdrawn)
    return { ...base, type: 'withdrawn', actor: actorOf(withdrawn.actor), details: { reason: withdrawn.reason } };
  const reclassified = payloadOf(event, 'reclassified');
  if (reclassified) {
    return {
      ...base,
      type: 'reclassified',
      actor: actorOf(reclassified.actor),
      details: { changes: reclassified.changes, reason: reclassified.reason },
    };
  }
  const reassigned = payloadOf(event, 'reassigned');
  if (reassigned) {
    return {
      ...base,
      type: 'reassigned',
      actor: actorOf(reassigned.actor),
      details: {
        from: reassigned.previousHandler?.name ?? null,
        to: reassigned.handler?.name ?? null,
        reason: reassigned.reason,
        // A move to another property (a correction) names where it went.
        ...(reassigned.propertyId ? { propertyId: reassigned.propertyId } : {}),
      },
    };
  }
  const corrected = payloadOf(event, 'corrected');
  if (corrected) {
    return {
      ...base,
      type: 'corrected',
      actor: actorOf(corrected.actor),
      // Before and after of each field; personal data arrives masked.
      details: {
        reason: corrected.reason,
        changes: corrected.changes.map(({ field, before, after }) => ({ field, before, after })),
      },
    };
  }
  const merged = payloadOf(event, 'merged');
  if (merged) {
    return {
      ...base,
      type: 'merged',
      actor: actorOf(merged.actor),
      details: {
        into: merged.intoNumber,
        intoComplaintId: merged.intoComplaintId,
        reason: merged.reason,
        ...(merged.note ? { note: merged.note } : {}),
      },
    };
  }
  const unmerged = payloadOf(event, 'unmerged');
  if (unmerged) {
    return {
      ...base,
      type: 'unmerged',
      actor: actorOf(unmerged.actor),
      details: { from: unmerged.fromNumber, fromComplaintId: unmerged.fromComplaintId, reason: unmerged.reason },
    };
  }
  const consequence = payloadOf(event, 'staff_consequence')?.consequence;
  if (consequence) {
    return {
      ...base,
      type: 'staff_consequence',
      actor: actorOf(consequence.decidedBy),
      details: {
        staffId: consequence.staffId,
        staff: consequence.staffName,
        kind: consequence.kind,
        measure: consequence.measure,
        ...(consequence.amount ? { amount: consequence.amount } : {}),
        reason: consequence.reason,
        level: consequence.decidedLevel,
      },
    };
  }
  const note = payloadOf(event, 'note_added');
  if (note) {
    // The reply sent back to a government referral's body is a note of its own kind on the timeline.
    const type = note.kind === 'referral_reply' ? 'referral_reply' : 'note';
    // A quality spot check (品质部抽查): its verdict and the follow-up with the findings.
    if (note.kind === 'spot_check') {
      const check = note.spotCheck;
      return {
        ...base,
        type: 'spot_check',
        actor: actorOf(note.actor),
        details: { verdict: check?.verdict ?? '', findings: note.text, followUp: check?.followUp || null },
      };
    }
    return { ...base, type, actor: actorOf(note.actor), details: { text: note.text } };
  }
  return undefined;
}
