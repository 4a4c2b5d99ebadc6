import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';
import { ComplaintFacts } from './complaint-facts.schema';
import type { FactChanges } from './project-event';

@Injectable()
export class ComplaintFactsRepository {
  constructor(@InjectModel(ComplaintFacts.name) private readonly facts: Model<ComplaintFacts>) {}

  /**
   * Applies an event's changes once. The filter skips a row that already holds the event id;
   * the upsert that then collides with the existing row is the duplicate, and is ignored.
   */
  async applyOnce(groupId: string, complaintId: string, eventId: string, changes: FactChanges): Promise<boolean> {
    try {
      const result = await this.facts.updateOne(
        { _id: complaintId, groupId, appliedEventIds: { $ne: eventId } },
        {
          // An empty $set is an error on some servers: events that change no fact only record their id.
          ...(Object.keys(changes.set).length > 0 ? { $set: changes.set } : {}),
          $addToSet: { appliedEventIds: eventId, ...(changes.addBreach ? { breaches: changes.addBreach } : {}) },
        },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async find(groupId: string, complaintId: string): Promise<ComplaintFacts | null> {
    return this.facts.findOne({ _id: complaintId, groupId }).lean<ComplaintFacts>();
  }
}
