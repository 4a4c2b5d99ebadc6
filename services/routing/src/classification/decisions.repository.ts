import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { Decision } from './decision.schema';

export interface DecisionChange {
  set: Partial<Decision>;
  /** Added to the decision's reasons. */
  reason?: string;
}

/**
 * Decisions by complaint id (`_id` alone: FerretDB filters anything else in Go over the whole
 * collection); the group is checked here, after reading.
 */
@Injectable()
export class DecisionsRepository {
  /**
   * Changes of one decision queue here: a conditional update (`{_id, state: 'open'}`) is now
   * read, decide in code, write. Within a replica that is as safe as before; two replicas
   * changing one decision at the same moment (two staff merging it at once) can both succeed
   * on MongoDB too, the later write winning, where the conditional update let only one through.
   */
  private readonly queue = new PerKeyQueue();

  constructor(@InjectModel(Decision.name) private readonly decisions: Model<Decision>) {}

  async find(groupId: string, complaintId: string): Promise<Decision | null> {
    const decision = await this.decisions.findById(complaintId).lean<Decision>();
    return decision && decision.groupId === groupId ? decision : null;
  }

  /**
   * Keeps the first decision for a complaint: a redelivered event, or a second replica, decides
   * nothing new. `inserted` is false when another one was there first (it is returned instead).
   */
  async saveFirst(decision: Decision): Promise<{ decision: Decision; inserted: boolean }> {
    try {
      await this.decisions.create(decision);
      return { decision, inserted: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const saved = await this.find(decision.groupId, decision._id);
    if (!saved) throw new Error(`decision for ${decision._id} belongs to another group or vanished`);
    return { decision: saved, inserted: false };
  }

  /**
   * Reads the decision, lets `decide` say what changes (undefined: nothing), writes it by `_id`.
   * Null when there is no such decision in the group; `decide` may throw to refuse.
   */
  async change(
    groupId: string,
    complaintId: string,
    decide: (current: Decision) => DecisionChange | undefined,
  ): Promise<{ decision: Decision; before: Decision; changed: boolean } | null> {
    return this.queue.run(complaintId, async () => {
      const current = await this.find(groupId, complaintId);
      if (!current) return null;
      const change = decide(current);
      if (!change) return { decision: current, before: current, changed: false };
      await this.decisions.updateOne(
        { _id: complaintId },
        { $set: change.set, ...(change.reason ? { $push: { reasons: change.reason } } : {}) },
      );
      const reasons = change.reason ? [...current.reasons, change.reason] : current.reasons;
      return { decision: { ...current, ...change.set, reasons }, before: current, changed: true };
    });
  }
}
