import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Decision } from './decision.schema';

@Injectable()
export class DecisionsRepository {
  constructor(@InjectModel(Decision.name) private readonly decisions: Model<Decision>) {}

  async find(groupId: string, complaintId: string): Promise<Decision | null> {
    return this.decisions.findOne({ _id: complaintId, groupId }).lean<Decision>();
  }

  /** Keeps the first decision for a complaint: a redelivered event, or a second replica, decides nothing new. */
  async saveFirst(decision: Decision): Promise<Decision> {
    await this.decisions.updateOne(
      { _id: decision._id, groupId: decision.groupId },
      { $setOnInsert: decision },
      { upsert: true },
    );
    const saved = await this.find(decision.groupId, decision._id);
    if (!saved) throw new Error(`decision for ${decision._id} vanished after upsert`);
    return saved;
  }

  /** Earlier complaints of the same complainant about the same category at the property since `since`. */
  async countRepeats(
    decision: Pick<Decision, '_id' | 'groupId' | 'complainantKey' | 'propertyId' | 'category'>,
    since: Date,
  ): Promise<number> {
    return this.decisions.countDocuments({
      groupId: decision.groupId,
      complainantKey: decision.complainantKey,
      propertyId: decision.propertyId,
      category: decision.category,
      receivedAt: { $gte: since },
      _id: { $ne: decision._id },
    });
  }

  /** An open case of the same complainant about the same category at the property (not itself). */
  async findOpenDuplicate(
    draft: Pick<Decision, '_id' | 'groupId' | 'complainantKey' | 'propertyId' | 'category'>,
    since: Date,
  ): Promise<Decision | null> {
    return this.decisions
      .findOne({
        groupId: draft.groupId,
        complainantKey: draft.complainantKey,
        propertyId: draft.propertyId,
        category: draft.category,
        state: 'open',
        mergedInto: '',
        isCollectiveParent: false,
        receivedAt: { $gte: since },
        _id: { $ne: draft._id },
      })
      .sort({ receivedAt: 1 })
      .lean<Decision>();
  }

  /** Open cases at the property in the category, received since `since` (parents included), oldest first. */
  async findOpenInCategory(groupId: string, propertyId: string, category: string, since: Date): Promise<Decision[]> {
    return this.decisions
      .find({ groupId, propertyId, category, state: 'open', mergedInto: '', receivedAt: { $gte: since } })
      .sort({ receivedAt: 1, _id: 1 })
      .limit(500)
      .lean<Decision[]>();
  }

  async openCount(groupId: string, staffId: string): Promise<number> {
    return this.decisions.countDocuments({ groupId, 'handler.id': staffId, state: 'open' });
  }

  async update(
    groupId: string,
    complaintId: string,
    change: Partial<Decision>,
    reason: string,
  ): Promise<Decision | null> {
    await this.decisions.updateOne({ _id: complaintId, groupId }, { $set: change, $push: { reasons: reason } });
    return this.find(groupId, complaintId);
  }

  /**
   * Merges an open complaint that is on its own; false when it no longer is (another request
   * merged or closed it in the meantime).
   */
  async merge(
    groupId: string,
    complaintId: string,
    into: Pick<Decision, '_id' | 'number'>,
    at: Date,
    reason: string,
  ): Promise<boolean> {
    const { matchedCount } = await this.decisions.updateOne(
      { _id: complaintId, groupId, mergedInto: '', state: 'open' },
      {
        $set: {
          mergedInto: into._id,
          mergedIntoNumber: into.number,
          mergeReason: 'manual',
          mergeChangedAt: at,
          state: 'closed',
        },
        $push: { reasons: reason },
      },
    );
    return matchedCount === 1;
  }

  /** Takes a complaint out of `fromId`; false when it is not (or no longer) merged there. */
  async unmerge(groupId: string, complaintId: string, fromId: string, at: Date, reason: string): Promise<boolean> {
    const { matchedCount } = await this.decisions.updateOne(
      { _id: complaintId, groupId, mergedInto: fromId },
      {
        $set: { mergedInto: '', mergedIntoNumber: '', mergeReason: '', mergeChangedAt: at, state: 'open' },
        $push: { reasons: reason },
      },
    );
    return matchedCount === 1;
  }

  /**
   * Forgets the complainant's pseudonym on the decision (erasure): it no longer counts as anyone's
   * repeat. Resolves the number of records changed (0 when done before).
   */
  async eraseComplainant(groupId: string, complaintId: string): Promise<number> {
    const erasedKey = `erased:${complaintId}`;
    const { modifiedCount } = await this.decisions.updateOne(
      { _id: complaintId, groupId, complainantKey: { $ne: erasedKey } },
      { $set: { complainantKey: erasedKey } },
    );
    return modifiedCount;
  }

  async close(groupId: string, complaintId: string): Promise<void> {
    await this.decisions.updateOne({ _id: complaintId, groupId }, { $set: { state: 'closed' } });
  }
}
