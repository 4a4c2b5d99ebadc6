import type { v1 } from '@complaints/contracts';
import { toLifecycleView } from '../lifecycle/lifecycle.view';

/** What partners see of a complaint. Before its lifecycle starts, the record's own status answers. */
export function toComplaintView(complaint: v1.Complaint, lifecycle?: v1.GetLifecycleResponse) {
  const running = toLifecycleView(lifecycle);
  return {
    id: complaint.id,
    number: complaint.number,
    status: running && complaint.status !== 'withdrawn' ? running.status : complaint.status,
    severity: running?.severity ?? (complaint.severity || null),
    escalationLevel: running?.escalationLevel ?? null,
    /** First-contact ownership (SPEC §2): whoever registered it, until it is closed. */
    owner: complaint.registeredBy ?? null,
    handler:
      running?.handler ?? (complaint.handlerId ? { id: complaint.handlerId, name: complaint.handlerName } : null),
    firstReplyBy: running?.firstReplyBy ?? null,
    resolveBy: running?.resolveBy ?? null,
    callbackBy: running?.callbackBy ?? null,
    breaches: running?.breaches ?? [],
    reopenRound: running?.reopenRound ?? 1,
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    channel: complaint.channel,
    receivedAt: complaint.receivedAt,
    registeredAt: complaint.registeredAt,
    registeredBy: complaint.registeredBy,
    // Masked by intake (SPEC §9): the clear values only through POST …/personal-data/reveal.
    complainant: complaint.complainant,
    personalDataErasedAt: complaint.personalDataErasedAt || null,
    location: complaint.location,
    description: complaint.description,
    demand: complaint.demand,
    involvedDepartment: complaint.involvedDepartment,
    involvedStaff: complaint.involvedStaff,
    /** The staff member complained about, from the directory; null when not known. */
    involvedStaffId: complaint.involvedStaffId || null,
    /** Rewards and penalties decided after the complaint (奖惩), oldest first. */
    consequences: complaint.consequences.map((consequence) => ({
      staff: { id: consequence.staffId, name: consequence.staffName },
      kind: consequence.kind,
      measure: consequence.measure,
      amount: consequence.amount || null,
      reason: consequence.reason,
      decidedBy: consequence.decidedBy ?? null,
      decidedLevel: consequence.decidedLevel,
      decidedAt: consequence.decidedAt,
    })),
    serviceItem: complaint.serviceItem,
    coComplainantCount: complaint.coComplainantCount,
    confidential: complaint.confidential,
    language: complaint.language,
    resolvedAtFirstContact: complaint.resolvedAtFirstContact,
    firstContactAnswer: complaint.firstContactAnswer,
    requestedBy: complaint.requestedBy || null,
    incidentAt: complaint.incidentAt || null,
    /** A government referral: the referring body and its ticket number; null otherwise. */
    referral: complaint.referralTicket
      ? { agency: complaint.referralAgency ?? '', ticketNumber: complaint.referralTicket }
      : null,
    /** Quality spot checks (品质部抽查) of the closed complaint, oldest first. */
    spotChecks: complaint.spotChecks.map((check) => ({
      verdict: check.verdict,
      findings: check.findings,
      followUp: check.followUp || null,
      by: check.actor ? { id: check.actor.id, name: check.actor.name } : null,
      at: check.at,
    })),
    category: complaint.category || null,
    department: complaint.department || null,
    overdue: complaint.overdue,
    /** The nearest running deadline, for queues sorted by it; null when none runs. */
    nextDeadline: complaint.nextDeadlineAt ? { name: complaint.nextDeadline, dueAt: complaint.nextDeadlineAt } : null,
    /** The role level that must decide a proposed plan or a requested extension; null when none waits. */
    awaitingApprovalLevel: complaint.awaitingApprovalLevel || null,
    lifecycle: running,
  };
}

export function toTimelineEntryView(entry: v1.TimelineEntry) {
  return {
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    actor: entry.actor && {
      kind: entry.actor.kind,
      id: entry.actor.id,
      name: entry.actor.name,
      // The partner's API key a staff member acted through: shown as "李娜 via <key>".
      via: entry.actor.viaKeyId ? { keyId: entry.actor.viaKeyId, name: entry.actor.viaKeyName ?? '' } : null,
    },
    details: JSON.parse(entry.detailsJson) as Record<string, unknown>,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
