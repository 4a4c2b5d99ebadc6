import type { v1 } from '@complaints/contracts';

/** What partners see of a complaint. Before its lifecycle starts, the record's own status answers. */
export function toComplaintView(complaint: v1.Complaint, lifecycle?: v1.GetLifecycleResponse) {
  const running = lifecycle?.started ? lifecycle : undefined;
  return {
    id: complaint.id,
    number: complaint.number,
    status: running && complaint.status !== 'withdrawn' ? running.status : complaint.status,
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    channel: complaint.channel,
    receivedAt: complaint.receivedAt,
    registeredAt: complaint.registeredAt,
    registeredBy: complaint.registeredBy,
    complainant: complaint.complainant,
    location: complaint.location,
    description: complaint.description,
    demand: complaint.demand,
    involvedDepartment: complaint.involvedDepartment,
    involvedStaff: complaint.involvedStaff,
    serviceItem: complaint.serviceItem,
    coComplainantCount: complaint.coComplainantCount,
    confidential: complaint.confidential,
    language: complaint.language,
    resolvedAtFirstContact: complaint.resolvedAtFirstContact,
    firstContactAnswer: complaint.firstContactAnswer,
    category: complaint.category || null,
    severity: complaint.severity || null,
    department: complaint.department || null,
    overdue: complaint.overdue,
    lifecycle: running
      ? {
          status: running.status,
          severity: running.severity,
          level: running.level,
          deadlines: Object.fromEntries(
            running.deadlines.map((deadline) => [
              deadline.name,
              { dueAt: deadline.dueAt, met: deadline.met, breached: deadline.breached },
            ]),
          ),
        }
      : null,
  };
}

export function toTimelineEntryView(entry: v1.TimelineEntry) {
  return {
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    actor: entry.actor,
    details: JSON.parse(entry.detailsJson) as Record<string, unknown>,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
