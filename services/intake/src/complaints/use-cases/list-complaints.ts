import { Injectable } from '@nestjs/common';
import { DomainError } from '@complaints/service-kit';
import { ComplaintsRepository, type ComplaintFilter } from '../complaints.repository';
import { decodeCursor, encodeCursor } from '../../paging';
import type { ComplaintRecord } from '../complaint.schema';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

@Injectable()
export class ListComplaints {
  constructor(private readonly complaints: ComplaintsRepository) {}

  /** One page, newest received first; `nextCursor` is absent on the last page. */
  async execute(
    groupId: string,
    filter: ComplaintFilter,
    page: { cursor?: string; limit?: number },
  ): Promise<{ complaints: ComplaintRecord[]; nextCursor?: string }> {
    const limit = page.limit || DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new DomainError('invalid_argument', `invalid page: limit must be 1 to ${MAX_PAGE_SIZE}`, {
        limit: `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      });
    }
    // One more than asked tells whether another page exists without a count query.
    const found = await this.complaints.list(
      groupId,
      filter,
      limit + 1,
      page.cursor ? pageCursorOf(decodeCursor(page.cursor)) : undefined,
    );
    const complaints = found.slice(0, limit);
    return {
      complaints,
      nextCursor: found.length > limit ? cursorAfter(complaints[complaints.length - 1]) : undefined,
    };
  }
}

function cursorAfter(complaint: Pick<ComplaintRecord, 'receivedAt' | '_id'>): string {
  return encodeCursor(complaint.receivedAt, complaint._id);
}

function pageCursorOf(cursor: { at: Date; id: string }) {
  return { receivedAt: cursor.at, id: cursor.id };
}
