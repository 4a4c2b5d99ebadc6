import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import { NotFoundError } from '@complaints/service-kit';
import { inScope, type Caller } from '../auth/caller';
import { IntakeClient } from '../grpc/grpc-clients';

/** The complaint, if the caller may see it: outside its group or properties it does not exist (404, never 403). */
@Injectable()
export class ComplaintScope {
  constructor(private readonly intake: IntakeClient) {}

  async complaintFor(caller: Caller, id: string): Promise<v1.Complaint> {
    const { complaint } = await this.intake.call.getComplaint({ groupId: caller.groupId, complaintId: id });
    if (!complaint || !inScope(caller, complaint.propertyId)) throw new NotFoundError(`complaint ${id}`);
    return complaint;
  }
}
