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

  /** Keeps the first decision for a complaint: a redelivered event decides nothing new. */
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
}
