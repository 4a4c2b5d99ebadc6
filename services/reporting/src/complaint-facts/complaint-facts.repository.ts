import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ComplaintFacts } from './complaint-facts.schema';
import type { FactChanges } from './project-event';

const DUPLICATE_KEY = 11000;

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
          $set: changes.set,
          $addToSet: { appliedEventIds: eventId, ...(changes.addBreach ? { breaches: changes.addBreach } : {}) },
        },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async find(groupId: string, complaintId: string): Promise<ComplaintFacts | null> {
    return this.facts.findOne({ _id: complaintId, groupId }).lean<ComplaintFacts>();
  }
}
