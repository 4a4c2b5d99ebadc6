import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@complaints/service-kit';
import { ComplaintsRepository } from '../complaints.repository';
import type { ComplaintRecord } from '../complaint.schema';

@Injectable()
export class GetComplaint {
  constructor(private readonly complaints: ComplaintsRepository) {}

  async execute(groupId: string, complaintId: string): Promise<ComplaintRecord> {
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    return complaint;
  }
}
