import { Injectable } from '@nestjs/common';
import { STATUSES } from '@complaints/domain';
import { ComplaintsRepository, FINAL_STATUSES } from '../complaints/complaints.repository';
import type { OpenComplaintRecord } from './handover.schema';

/** How many open complaints a handover lists; beyond that it says there are more. */
export const OPEN_COMPLAINTS_LISTED = 50;

const OPEN_STATUSES = STATUSES.filter((status) => !FINAL_STATUSES.includes(status));

/**
 * The complaints of a property not yet closed, nearest deadline first, as a handover lists them.
 * Confidential complaints are left out: the book is read by the whole desk, and they exist only
 * for the staff named on them. Read through the index on group, property, status and queue order.
 */
@Injectable()
export class OpenComplaints {
  constructor(private readonly complaints: ComplaintsRepository) {}

  async of(groupId: string, propertyId: string): Promise<{ complaints: OpenComplaintRecord[]; truncated: boolean }> {
    const found = await this.complaints.list(
      groupId,
      {
        propertyScope: [],
        regionScope: [],
        // Nobody named: only complaints that are not confidential.
        confidentialViewer: { staffId: '', actorId: '' },
        propertyIds: [propertyId],
        regionIds: [],
        statuses: OPEN_STATUSES,
        severities: [],
        categories: [],
        channels: [],
        overdueOnly: false,
        sort: 'deadline',
      },
      OPEN_COMPLAINTS_LISTED + 1,
    );
    return {
      complaints: found.slice(0, OPEN_COMPLAINTS_LISTED).map((complaint) => ({
        id: complaint._id,
        number: complaint.number,
        status: complaint.status,
        severity: complaint.severity,
        category: complaint.category,
        handlerName: complaint.handlerName ?? '',
        nextDeadlineAt: complaint.nextDeadlineAt ?? null,
        overdue: complaint.overdue,
      })),
      truncated: found.length > OPEN_COMPLAINTS_LISTED,
    };
  }
}
