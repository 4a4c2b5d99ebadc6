import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ReceivedEvent } from './received-event.schema';

@Injectable()
export class ReceivedEventsRepository {
  constructor(@InjectModel(ReceivedEvent.name) private readonly events: Model<ReceivedEvent>) {}

  /** Records the event once; returns false when it had been recorded before. */
  async recordOnce(event: ReceivedEvent): Promise<boolean> {
    const result = await this.events.updateOne({ _id: event._id }, { $setOnInsert: event }, { upsert: true });
    return result.upsertedCount === 1;
  }

  async listForComplaint(groupId: string, complaintId: string): Promise<ReceivedEvent[]> {
    return this.events.find({ groupId, complaintId }).sort({ occurredAt: 1 }).lean<ReceivedEvent[]>();
  }
}
