import type { Complaint } from '../api/types';
import { duration, nearestDeadline, remaining } from './countdown';

const NOW = Date.parse('2026-11-30T08:00:00Z');

describe('countdown', () => {
  it('shows the two largest units, and says when a deadline has passed', () => {
    expect(remaining('2026-11-30T09:05:30Z', NOW)).toMatchObject({ overdue: false, text: '1h 05m' });
    expect(remaining('2026-12-02T11:00:00Z', NOW)).toMatchObject({ overdue: false, text: '2d 3h' });
    expect(remaining('2026-11-30T07:59:18Z', NOW)).toMatchObject({ overdue: true, text: '42s' });
    expect(duration(61_000)).toBe('1m 01s');
  });

  const complaint = (id: string, deadlines: Partial<Record<'firstReplyBy' | 'resolveBy' | 'callbackBy', string>>) =>
    ({
      id,
      receivedAt: '2026-11-30T07:00:00Z',
      lifecycle: { firstReplyBy: null, resolveBy: null, callbackBy: null, ...deadlines },
    }) as unknown as Complaint;

  it('takes the nearest running deadline from the lifecycle, or as the list item gives it', () => {
    const soon = complaint('soon', { firstReplyBy: '2026-11-30T09:00:00Z', resolveBy: '2026-12-01T00:00:00Z' });
    expect(nearestDeadline(soon)).toEqual({ name: 'firstReplyBy', dueAt: '2026-11-30T09:00:00Z' });
    expect(nearestDeadline(complaint('none', {}))).toBeNull();
    const listed = { nextDeadline: { name: 'resolveBy', dueAt: '2026-12-03T00:00:00Z' }, lifecycle: null } as Complaint;
    expect(nearestDeadline(listed)).toEqual({ name: 'resolveBy', dueAt: '2026-12-03T00:00:00Z' });
  });
});
