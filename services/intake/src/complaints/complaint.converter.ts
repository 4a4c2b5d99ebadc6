import type { v1 } from '@complaints/contracts';
import type { Channel, ComplainantType, Language } from '@complaints/domain';
import { actorOf, actorToProto } from '@complaints/service-kit';
import type { ComplaintRecord } from './complaint.schema';
import type { RegisterComplaintInput } from './use-cases/register-complaint';

// Generated proto types stop at the controller; the use cases see domain types only.

/**
 * `complainant` is what the reader may see of the complainant: masked for every answer
 * (PersonalDataVault.masked), name, contact and unit left empty in events (`forEvent`).
 */
export function toProtoComplaint(record: ComplaintRecord, complainant: v1.Complainant): v1.Complaint {
  return {
    id: record._id,
    number: record.number,
    groupId: record.groupId,
    propertyId: record.propertyId,
    regionId: record.regionId,
    channel: record.channel,
    receivedAt: record.receivedAt.toISOString(),
    complainant,
    location: record.location,
    description: record.description,
    demand: record.demand,
    status: record.status,
    language: record.language,
    confidential: record.confidential,
    coComplainantCount: record.coComplainantCount,
    categoryHint: record.categoryHint,
    severityHint: record.severityHint,
    registeredAt: record.createdAt.toISOString(),
    involvedDepartment: record.involvedDepartment,
    involvedStaff: record.involvedStaff,
    involvedStaffId: record.involvedStaffId ?? '',
    consequences: (record.consequences ?? []).map((consequence) => ({
      ...consequence,
      decidedBy: actorToProto(consequence.decidedBy),
      decidedAt: new Date(consequence.decidedAt).toISOString(),
    })),
    serviceItem: record.serviceItem,
    resolvedAtFirstContact: record.resolvedAtFirstContact,
    firstContactAnswer: record.firstContactAnswer,
    registeredBy: { ...record.registeredBy },
    category: record.category,
    severity: record.severity,
    department: record.department,
    overdue: record.overdue,
    attachmentCount: record.attachmentCount,
    complainantKey: record.complainant.key,
    personalDataErasedAt: record.complainant.erasedAt?.toISOString() ?? '',
    // Records from before the field have none.
    confidentialStaffIds: record.confidentialStaffIds ?? [],
    handlerId: record.handlerId ?? '',
    handlerName: record.handlerName ?? '',
    requestedBy: record.requestedBy?.toISOString() ?? '',
    incidentAt: record.incidentAt?.toISOString() ?? '',
    referralAgency: record.referralAgency ?? '',
    referralTicket: record.referralTicket ?? '',
    spotChecks: (record.spotChecks ?? []).map((check) => ({
      verdict: check.verdict,
      findings: check.findings,
      followUp: check.followUp,
      actor: check.actor,
      at: new Date(check.at).toISOString(),
    })),
    departmentId: record.departmentId ?? '',
    nextDeadline: record.nextDeadline ?? '',
    nextDeadlineAt: record.nextDeadlineAt?.toISOString() ?? '',
    awaitingApprovalLevel: record.awaitingApprovalLevel ?? '',
  };
}

/** Events carry ids, not personal data: the complainant's type and flag, and its pseudonym. */
export function forEvent(record: ComplaintRecord): v1.Complaint {
  const { type, anchorTenant } = record.complainant;
  return toProtoComplaint(record, { name: '', contact: '', unit: '', type, anchorTenant });
}

/** Vocabulary values are checked by the use case; here they are only carried over. */
export function fromRegisterRequest(request: v1.RegisterComplaintRequest): RegisterComplaintInput {
  const complainant = request.complainant;
  return {
    groupId: request.groupId,
    propertyId: request.propertyId,
    channel: request.channel as Channel,
    receivedAt: new Date(request.receivedAt),
    complainant: {
      name: complainant?.name ?? '',
      contact: complainant?.contact ?? '',
      type: (complainant?.type ?? '') as ComplainantType,
      unit: complainant?.unit ?? '',
      anchorTenant: complainant?.anchorTenant ?? false,
    },
    location: request.location,
    description: request.description,
    demand: request.demand,
    language: (request.language || 'zh-CN') as Language,
    confidential: request.confidential,
    confidentialStaffIds: request.confidentialStaffIds,
    coComplainantCount: request.coComplainantCount,
    categoryHint: request.categoryHint,
    severityHint: request.severityHint,
    involvedDepartment: request.involvedDepartment,
    involvedStaff: request.involvedStaff,
    involvedStaffId: request.involvedStaffId ?? '',
    serviceItem: request.serviceItem,
    resolvedAtFirstContact: request.resolvedAtFirstContact,
    firstContactAnswer: request.firstContactAnswer,
    requestedBy: request.requestedBy ? new Date(request.requestedBy) : null,
    incidentAt: request.incidentAt ? new Date(request.incidentAt) : null,
    referralAgency: request.referralAgency ?? '',
    referralTicket: request.referralTicket ?? '',
    registeredBy: actorOf(request.actor),
    idempotencyKey: request.idempotencyKey,
    requestHash: request.requestHash,
  };
}
