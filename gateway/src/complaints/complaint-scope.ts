import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { NotFoundError } from '@complaints/service-kit';
import { enforce } from '../access/enforce';
import { decide, type Action, type ComplaintResource } from '../access/policy';
import type { Caller } from '../auth/caller';
import { EscalationClient, IntakeClient } from '../grpc/grpc-clients';

export function complaintResource(complaint: v1.Complaint): ComplaintResource {
  return {
    kind: 'complaint',
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    department: complaint.department,
    confidential: complaint.confidential,
    confidentialStaffIds: complaint.confidentialStaffIds,
    registeredBy: { kind: complaint.registeredBy?.kind ?? '', id: complaint.registeredBy?.id ?? '' },
    // Intake keeps the handler from routing's events; '' until routed.
    handlerId: complaint.handlerId || undefined,
  };
}

/**
 * The complaint, if the caller may do `action` on it (access/policy.ts): one it may not see does
 * not exist (404, never 403); one it sees but may not act on is 403.
 */
@Injectable()
export class ComplaintScope {
  constructor(
    private readonly intake: IntakeClient,
    private readonly escalation: EscalationClient,
  ) {}

  async complaintFor(caller: Caller, id: string, action: Action = 'view'): Promise<v1.Complaint> {
    const { complaint } = await this.intake.call.getComplaint({ groupId: caller.groupId, complaintId: id });
    if (!complaint) throw new NotFoundError(`complaint ${id}`);
    const resource = complaintResource(complaint);
    let decision = decide(caller, action, resource);
    // Only a staff member turned away by department can be its handler: ask escalation then, not always.
    if (decision.outcome === 'denied' && caller.kind === 'staff') {
      const { handler } = await this.escalation.call.getLifecycle({ groupId: caller.groupId, complaintId: id });
      decision = decide(caller, action, { ...resource, handlerId: handler?.id });
    }
    enforce(decision, `complaint ${id}`);
    return complaint;
  }
}
