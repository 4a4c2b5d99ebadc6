import { Injectable } from '@nestjs/common';
import { DomainError } from '@complaints/service-kit';
import { ComplaintsRepository, type ComplaintFilter, type PageCursor } from '../complaints.repository';
import type { ComplaintRecord } from '../complaint.schema';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(complaint: Pick<ComplaintRecord, 'receivedAt' | '_id'>): string {
  return Buffer.from(JSON.stringify([complaint.receivedAt.toISOString(), complaint._id])).toString('base64url');
}

export function decodeCursor(cursor: string): PageCursor {
  try {
    const [receivedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(receivedAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { receivedAt: date, id };
  } catch {
    throw new DomainError('invalid_argument', 'invalid cursor: pass the nextCursor of the previous page', {
      cursor: 'is not a cursor this API returned',
    });
  }
}

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
      page.cursor ? decodeCursor(page.cursor) : undefined,
    );
    const complaints = found.slice(0, limit);
    return {
      complaints,
      nextCursor: found.length > limit ? encodeCursor(complaints[complaints.length - 1]) : undefined,
    };
  }
}
