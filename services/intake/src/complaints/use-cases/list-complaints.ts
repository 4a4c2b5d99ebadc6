import { Injectable } from '@nestjs/common';
import { DomainError } from '@complaints/service-kit';
import { ComplaintsRepository, type ComplaintFilter, type ListOrder } from '../complaints.repository';
import { decodeCursor, encodeCursor } from '../../paging';
import { NO_DEADLINE, type ComplaintRecord } from '../complaint.schema';
import { PersonalDataKeyRing } from '../../personal-data/key-ring';
import { queryTermsOf } from '../search/search-terms';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Longer searches are refused rather than cut: a cut search would find other complaints. */
export const MAX_SEARCH_LENGTH = 200;

/** What a complaint number may start with: letters, digits and hyphens (SHM01-20261206-0003). */
const NUMBER_PREFIX = /^[A-Z0-9][A-Z0-9-]{1,39}$/;
/** A contact as staff type it: an e-mail, a WeChat id, or a phone number of at least 7 digits. */
const CONTACT = /^(?:[^\s@]+@[^\s@]+|wechat:\S+|\+?[\d\s()-]{7,})$/i;

export type ListFilter = Omit<ComplaintFilter, 'search'> & { search?: string };

@Injectable()
export class ListComplaints {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly ring: PersonalDataKeyRing,
  ) {}

  /**
   * One page, newest received first or nearest deadline first; `nextCursor` is absent on the
   * last page. A search looks for the number, the contact and the words at once.
   */
  async execute(
    groupId: string,
    filter: ListFilter,
    page: { cursor?: string; limit?: number },
  ): Promise<{ complaints: ComplaintRecord[]; nextCursor?: string }> {
    const limit = page.limit || DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new DomainError('invalid_argument', `invalid page: limit must be 1 to ${MAX_PAGE_SIZE}`, {
        limit: `must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      });
    }
    const { search, ...rest } = filter;
    const sort: ListOrder = filter.sort === 'deadline' ? 'deadline' : 'received';
    const query: ComplaintFilter = {
      ...rest,
      sort,
      ...(search?.trim() ? { search: this.searchOf(groupId, search) } : {}),
    };
    // One more than asked tells whether another page exists without a count query.
    const found = await this.complaints.list(
      groupId,
      query,
      limit + 1,
      page.cursor ? decodeCursor(page.cursor) : undefined,
    );
    const complaints = found.slice(0, limit);
    const last = complaints[complaints.length - 1];
    return {
      complaints,
      nextCursor: found.length > limit ? encodeCursor(sortKeyOf(last, sort), last._id) : undefined,
    };
  }

  private searchOf(groupId: string, text: string): NonNullable<ComplaintFilter['search']> {
    const search = text.trim();
    if (search.length > MAX_SEARCH_LENGTH) {
      throw new DomainError('invalid_argument', `invalid search: at most ${MAX_SEARCH_LENGTH} characters`, {
        q: `at most ${MAX_SEARCH_LENGTH} characters`,
      });
    }
    const upper = search.toUpperCase();
    return {
      numberPrefix: NUMBER_PREFIX.test(upper) ? upper : '',
      // Only the blind index of the contact is compared: the contact itself is never stored in the clear.
      complainantKey: CONTACT.test(search) ? this.ring.blindIndex(groupId, search) : '',
      terms: queryTermsOf(search),
    };
  }
}

function sortKeyOf(complaint: ComplaintRecord, sort: ListOrder): Date {
  return sort === 'deadline' ? (complaint.queueAt ?? NO_DEADLINE) : complaint.receivedAt;
}
