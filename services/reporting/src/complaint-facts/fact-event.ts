import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import { moneyAmount, toCents } from '@complaints/domain';

/** A staff member as reports name them: handling staff are a breakdown of their own. */
export interface StaffRef {
  id: string;
  name: string;
}

/**
 * What reporting keeps of one event: only the facts figures are made of, never personal data.
 * A complaint's row stores all of its fact events, and its facts are derived from them anew on
 * every change (derive-facts.ts); that is what makes arrival order and duplicates not matter.
 */
export type FactEvent = { id: string; at: string } & FactEventData;

export type FactEventData =
  | {
      type: 'registered';
      number: string;
      propertyId: string;
      regionId: string;
      channel: string;
      receivedAt: string;
      location: string;
      closedAtFirstContact: boolean;
      /** Absent in events stored before staff complained about were named. */
      involvedStaff?: StaffRef | null;
    }
  | {
      type: 'routed';
      number: string;
      propertyId: string;
      regionId: string;
      channel: string;
      receivedAt: string;
      category: string;
      severity: string;
      department: string;
      liability: string;
      handler: StaffRef | null;
      mergedInto: string;
    }
  | { type: 'reclassified'; category: string; severity: string; department: string; liability: string }
  | {
      type: 'reassigned';
      handler: StaffRef | null;
      /** Set when it moved to another property (a correction): reports count it there. */
      propertyId: string;
      regionId: string;
      department: string;
    }
  /** A correction named another staff member complained about (or nobody). */
  | { type: 'involved_staff'; involvedStaff: StaffRef | null }
  /** A reward or penalty decided for a staff member after the complaint. */
  | { type: 'consequence'; staff: StaffRef; kind: string; measure: string }
  /** A corrective and preventive action of the complaint took a step (opened, overdue, done, verified, returned). */
  | { type: 'corrective_action'; actionId: string; step: string }
  /**
   * A repair work order's step: its own row (keyed `work-order:<id>`, never a complaint's), counted
   * by the work order figures in the period it was raised.
   */
  | {
      type: 'work_order';
      number: string;
      step: string;
      stage: string;
      propertyId: string;
      regionId: string;
      /** The complaint it was raised from; '' for one raised on its own. */
      complaintId: string;
      raisedAt: string;
      late: boolean;
      rating: number;
      repeatOfId: string;
      reworks: number;
    }
  | { type: 'merged'; into: string }
  | { type: 'unmerged' }
  | { type: 'withdrawn' }
  | {
      type: 'transitioned';
      action: string;
      toStatus: string;
      /** From the lifecycle snapshot: the complaint's status, severity and round right after. */
      status: string;
      severity: string;
      round: number;
      satisfaction: string;
      outcome: string;
      validity: string;
      liability: string;
      /** The remedy of a resolution (退换修赔): its kind, and its amount in cents (0 without one). */
      remedyKind?: string;
      remedyCents?: number;
    }
  /** cause: `platform_late` when the platform started the lifecycle too late, else a staff miss. */
  | { type: 'breached'; deadline: string; cause: string }
  | { type: 'escalated'; toLevel: string; cause: string }
  /** A quality spot check (品质部抽查) of the closed complaint, with its verdict. */
  | { type: 'spot_checked'; verdict: string }
  /** Events that change no figure (notes, reminders) are still recorded, so a duplicate is recognised. */
  | { type: 'other' };

function staff(actor: v1.Actor | undefined): StaffRef | null {
  return actor?.id ? { id: actor.id, name: actor.name } : null;
}

function details(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function dataOf(event: v1.EventEnvelope): FactEventData {
  const registered = payloadOf(event, 'registered')?.complaint;
  if (registered) {
    return {
      type: 'registered',
      number: registered.number,
      propertyId: registered.propertyId,
      regionId: registered.regionId,
      channel: registered.channel,
      receivedAt: registered.receivedAt,
      location: registered.location,
      closedAtFirstContact: registered.resolvedAtFirstContact,
      involvedStaff: registered.involvedStaffId
        ? { id: registered.involvedStaffId, name: registered.involvedStaff }
        : null,
    };
  }
  const routed = payloadOf(event, 'routed');
  if (routed) {
    return {
      type: 'routed',
      number: routed.number,
      propertyId: routed.propertyId,
      regionId: routed.regionId,
      channel: routed.channel,
      receivedAt: routed.receivedAt,
      category: routed.category,
      severity: routed.severity,
      department: routed.department,
      liability: routed.liability,
      handler: staff(routed.handler),
      mergedInto: routed.mergedInto,
    };
  }
  const reclassified = payloadOf(event, 'reclassified');
  if (reclassified) {
    const { category, severity, department, liability } = reclassified;
    return { type: 'reclassified', category, severity, department, liability };
  }
  const reassigned = payloadOf(event, 'reassigned');
  if (reassigned) {
    return {
      type: 'reassigned',
      handler: staff(reassigned.handler),
      propertyId: reassigned.propertyId ?? '',
      regionId: reassigned.regionId ?? '',
      department: reassigned.department ?? '',
    };
  }
  const corrected = payloadOf(event, 'corrected');
  if (corrected?.involvedStaffId !== undefined) {
    const { involvedStaffId: id, involvedStaffName: name } = corrected;
    return { type: 'involved_staff', involvedStaff: id ? { id, name: name ?? '' } : null };
  }
  const consequence = payloadOf(event, 'staff_consequence')?.consequence;
  if (consequence) {
    return {
      type: 'consequence',
      staff: { id: consequence.staffId, name: consequence.staffName },
      kind: consequence.kind,
      measure: consequence.measure,
    };
  }
  const corrective = payloadOf(event, 'corrective_action');
  if (corrective) return { type: 'corrective_action', actionId: corrective.correctiveActionId, step: corrective.step };
  const workOrder = payloadOf(event, 'work_order');
  if (workOrder) {
    return {
      type: 'work_order',
      number: workOrder.number,
      step: workOrder.step,
      stage: workOrder.stage,
      propertyId: workOrder.propertyId,
      regionId: workOrder.regionId,
      complaintId: workOrder.complaintId,
      raisedAt: workOrder.raisedAt,
      late: workOrder.late,
      rating: workOrder.rating,
      repeatOfId: workOrder.repeatOfId,
      reworks: workOrder.reworks,
    };
  }
  const merged = payloadOf(event, 'merged');
  if (merged) return { type: 'merged', into: merged.intoComplaintId };
  if (payloadOf(event, 'unmerged')) return { type: 'unmerged' };
  if (payloadOf(event, 'withdrawn')) return { type: 'withdrawn' };
  const transitioned = payloadOf(event, 'transitioned');
  if (transitioned) {
    const facts = details(transitioned.detailsJson);
    return {
      type: 'transitioned',
      action: transitioned.action,
      toStatus: transitioned.toStatus,
      status: event.lifecycle?.status || transitioned.toStatus,
      severity: event.lifecycle?.severity ?? '',
      round: event.lifecycle?.round ?? 0,
      satisfaction: text(facts.satisfaction),
      outcome: text(facts.outcome),
      validity: text(facts.validity),
      liability: text(facts.liability),
      ...remedyOf(facts.remedy),
    };
  }
  const breached = payloadOf(event, 'deadline_breached');
  if (breached) return { type: 'breached', deadline: breached.deadline, cause: breached.cause ?? '' };
  const escalated = payloadOf(event, 'escalated');
  if (escalated) return { type: 'escalated', toLevel: escalated.toLevel, cause: escalated.cause };
  const note = payloadOf(event, 'note_added');
  if (note?.kind === 'spot_check') return { type: 'spot_checked', verdict: note.spotCheck?.verdict ?? '' };
  return { type: 'other' };
}

export function factEventOf(event: v1.EventEnvelope): FactEvent {
  return { id: event.eventId, at: event.occurredAt, ...dataOf(event) };
}

/** A resolution's remedy as reports count it; an amount that is no money amount counts as none. */
function remedyOf(remedy: unknown): { remedyKind: string; remedyCents: number } {
  if (typeof remedy !== 'object' || remedy === null) return { remedyKind: '', remedyCents: 0 };
  const { kind, amount } = remedy as { kind?: unknown; amount?: unknown };
  const valid = typeof amount === 'string' && moneyAmount.safeParse(amount).success;
  return { remedyKind: text(kind), remedyCents: valid ? toCents(amount) : 0 };
}
