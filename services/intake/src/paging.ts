import { DomainError } from '@complaints/service-kit';

/**
 * Lists page newest first by (time, id): the cursor is the last item's time and id, opaque to
 * callers (base64url JSON). Complaint lists and the access log share it.
 */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new DomainError('invalid_argument', 'invalid cursor: pass the nextCursor of the previous page', {
      cursor: 'is not a cursor this API returned',
    });
  }
}
