import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '@complaints/service-kit';
import { MaintenanceState } from './complaint.schema';

/** Where each background pass stands, one document per pass (`_id` its name), read by `_id`. */
@Injectable()
export class MaintenanceStates {
  constructor(@InjectModel(MaintenanceState.name) private readonly state: Model<MaintenanceState>) {}

  /** How far the pass got; undefined before it first ran. */
  async through(pass: string): Promise<string | undefined> {
    return (await this.state.findById(pass).lean<MaintenanceState>())?.through || undefined;
  }

  async setThrough(pass: string, through: string): Promise<void> {
    await this.state.updateOne({ _id: pass }, { $set: { through } }, { upsert: true });
  }

  /** Sets where a pass starts, unless another replica set it already. */
  async startAt(pass: string, through: string): Promise<void> {
    try {
      await this.state.create({ _id: pass, through });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
