import type { Complaint, DeadlineName } from '../api/types';

export const DEADLINE_NAMES: DeadlineName[] = ['firstReplyBy', 'resolveBy', 'callbackBy'];

/** How long until a deadline (or since it passed), in the largest two units: `2d 3h`, `1h 05m`, `42s`. */
export function remaining(dueAt: string, now: number): { overdue: boolean; text: string; ms: number } {
  const ms = Date.parse(dueAt) - now;
  return { overdue: ms < 0, text: duration(Math.abs(ms)), ms };
}

export function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${two(secs)}s`;
  return `${secs}s`;
}

/** The running deadline due soonest: from the lifecycle when it is loaded, else as the list gave it. */
export function nearestDeadline(complaint: Complaint): { name: DeadlineName; dueAt: string } | null {
  const lifecycle = complaint.lifecycle;
  if (!lifecycle) return complaint.nextDeadline;
  let best: { name: DeadlineName; dueAt: string } | null = null;
  for (const name of DEADLINE_NAMES) {
    const dueAt = lifecycle[name];
    if (!dueAt) continue;
    if (!best || Date.parse(dueAt) < Date.parse(best.dueAt)) best = { name, dueAt };
  }
  return best;
}
