import type { DeadlineName } from '@complaints/domain';
import { addTime, durationMs, elapsedTime, type WorkingCalendar } from '../deadlines/working-calendar';
import type { TimeLimit } from '../policies/deadline-policy';
import type { DeadlineClock } from './types';

// Deadline clocks: pure functions of (clock, now, calendar). They run inside the workflow, so
// "now" is always passed in (the workflow's deterministic clock), never read.

function refresh(clock: DeadlineClock, reminderShare: number, calendar: WorkingCalendar): DeadlineClock {
  if (clock.runningSince === null || clock.metAt !== null) {
    clock.dueAt = null;
    clock.remindAt = null;
    return clock;
  }
  const since = new Date(clock.runningSince);
  const { basis } = clock.limit;
  clock.dueAt = addTime(since, Math.max(clock.allowedMs - clock.usedMs, 0), basis, calendar).toISOString();
  const remindAfter = clock.allowedMs * reminderShare - clock.usedMs;
  clock.remindAt = remindAfter > 0 ? addTime(since, remindAfter, basis, calendar).toISOString() : null;
  return clock;
}

export function startClock(
  name: DeadlineName,
  limit: TimeLimit,
  from: Date,
  reminderShare: number,
  calendar: WorkingCalendar,
): DeadlineClock {
  const clock: DeadlineClock = {
    name,
    limit,
    allowedMs: durationMs(limit.duration, limit.basis, calendar),
    usedMs: 0,
    runningSince: from.toISOString(),
    dueAt: null,
    remindAt: null,
    reminded: false,
    metAt: null,
    breaches: 0,
  };
  return refresh(clock, reminderShare, calendar);
}

export function pauseClock(clock: DeadlineClock, now: Date, calendar: WorkingCalendar): void {
  if (clock.runningSince === null || clock.metAt !== null) return;
  clock.usedMs += elapsedTime(new Date(clock.runningSince), now, clock.limit.basis, calendar);
  clock.runningSince = null;
  clock.dueAt = null;
  clock.remindAt = null;
}

export function resumeClock(clock: DeadlineClock, now: Date, reminderShare: number, calendar: WorkingCalendar): void {
  if (clock.runningSince !== null || clock.metAt !== null) return;
  clock.runningSince = now.toISOString();
  refresh(clock, reminderShare, calendar);
}

export function meetClock(clock: DeadlineClock, now: Date): void {
  clock.metAt = now.toISOString();
  clock.dueAt = null;
  clock.remindAt = null;
}

/** A new limit (severity changed): the time already used is kept, only the allowance changes. */
export function changeLimit(
  clock: DeadlineClock,
  limit: TimeLimit,
  now: Date,
  reminderShare: number,
  calendar: WorkingCalendar,
): void {
  if (clock.metAt !== null) return;
  const extra = clock.allowedMs - durationMs(clock.limit.duration, clock.limit.basis, calendar);
  if (clock.runningSince !== null) {
    clock.usedMs += elapsedTime(new Date(clock.runningSince), now, clock.limit.basis, calendar);
    clock.runningSince = now.toISOString();
  }
  clock.limit = limit;
  clock.allowedMs = durationMs(limit.duration, limit.basis, calendar) + Math.max(extra, 0);
  refresh(clock, reminderShare, calendar);
}

export function extendClock(
  clock: DeadlineClock,
  addsMs: number,
  reminderShare: number,
  calendar: WorkingCalendar,
): void {
  clock.allowedMs += addsMs;
  refresh(clock, reminderShare, calendar);
}

/** After a miss the next level gets the same allowance again, from now. */
export function rearmClock(clock: DeadlineClock, now: Date, reminderShare: number, calendar: WorkingCalendar): void {
  clock.breaches += 1;
  clock.allowedMs = durationMs(clock.limit.duration, clock.limit.basis, calendar);
  clock.usedMs = 0;
  clock.runningSince = now.toISOString();
  clock.reminded = false;
  refresh(clock, reminderShare, calendar);
}

/** Stops the clock after a miss with nobody left to climb to: the breach stays on record. */
export function stopClock(clock: DeadlineClock): void {
  clock.breaches += 1;
  clock.runningSince = null;
  clock.dueAt = null;
  clock.remindAt = null;
}

/** How much basis-time lies between the clock's due time and a later instant (what an extension adds). */
export function extensionMs(clock: DeadlineClock, until: Date, calendar: WorkingCalendar): number {
  if (!clock.dueAt) return 0;
  return elapsedTime(new Date(clock.dueAt), until, clock.limit.basis, calendar);
}
