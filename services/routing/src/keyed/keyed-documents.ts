import { Injectable } from '@nestjs/common';
import type { Decision } from '../classification/decision.schema';
import { ComplainantHistories, historyKey, REPEAT_WINDOW_MS } from './complainant-histories';
import { pastComplaint, openCase } from './entries';
import { HandlerLoads, type ChargeMode } from './handler-loads';
import { COLLECTIVE_WINDOW_MS, OpenCasesLists, openCasesKey } from './open-cases';

/** What a decision was keyed by before a change (reclassified, erased). */
export type PreviousKeys = Pick<Decision, 'complainantKey' | 'propertyId' | 'category' | 'locationKey'>;

/**
 * Keeps the keyed documents derived from decisions in step with them: the complainant's
 * history, the open cases of a matter, the handlers' counters. Every sync is derived from the
 * decision as it now is, so running it again (an event delivered again, a retried request)
 * changes nothing, and a sync that a crash cut short is completed by the next one.
 *
 * Lock order, to never deadlock: a complainant's history, then a matter's open cases, then a
 * decision, then a counter. Syncs take one at a time.
 */
@Injectable()
export class KeyedDocuments {
  constructor(
    readonly histories: ComplainantHistories,
    readonly openCases: OpenCasesLists,
    readonly loads: HandlerLoads,
  ) {}

  async sync(decision: Decision, mode: ChargeMode, previous?: PreviousKeys): Promise<void> {
    await this.syncHistory(decision, previous);
    await this.syncOpenCase(decision, previous);
    await this.loads.apply(decision.groupId, decision._id, decision.charge, mode);
  }

  async syncHistory(decision: Decision, previous?: Pick<PreviousKeys, 'complainantKey'>): Promise<void> {
    const { groupId } = decision;
    const key = historyKey(groupId, decision.complainantKey);
    const before = previous ? historyKey(groupId, previous.complainantKey) : undefined;
    // Erasure takes the pseudonym out whatever the age of the complaint.
    if (before && before !== key) await this.histories.update(before, groupId, { remove: [decision._id] });
    if (key && recent(decision, REPEAT_WINDOW_MS)) {
      await this.histories.update(key, groupId, { put: pastComplaint(decision) });
    }
  }

  /** `always`: look even when the case is past the window (an erasure must not leave the key behind). */
  async syncOpenCase(
    decision: Decision,
    previous?: Omit<PreviousKeys, 'complainantKey'>,
    options: { always?: boolean } = {},
  ): Promise<void> {
    const { groupId } = decision;
    // Older cases are past the window of every list: taken out (or left to be pruned) already.
    if (!options.always && !recent(decision, COLLECTIVE_WINDOW_MS)) return;
    const key = openCasesKey(decision);
    const before = previous ? openCasesKey({ ...previous, groupId }) : undefined;
    if (before && before !== key) await this.openCases.update(before, groupId, { remove: [decision._id] });
    const entry = openCase(decision);
    await this.openCases.update(key, groupId, entry ? { put: entry } : { remove: [decision._id] });
  }
}

function recent(decision: Pick<Decision, 'receivedAt'>, windowMs: number): boolean {
  return decision.receivedAt.getTime() >= Date.now() - windowMs;
}
