import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { KeyedLists } from './keyed-list';
import { OpenCases, type OpenCase } from './keyed.schema';

/** Complaints about one matter within this window count towards a collective complaint. */
export const COLLECTIVE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** `<group>:<property>:<category>:<place>`; a long place is hashed to keep the key short. */
export function openCasesKey(decision: {
  groupId: string;
  propertyId: string;
  category: string;
  locationKey: string;
}): string {
  const place =
    decision.locationKey.length <= 64
      ? decision.locationKey
      : `#${createHash('sha256').update(decision.locationKey).digest('base64url')}`;
  return `${decision.groupId}:${decision.propertyId}:${decision.category}:${place}`;
}

/** `routing_open_cases`: the open, unmerged cases of the last 24 hours per property, category and place. */
@Injectable()
export class OpenCasesLists extends KeyedLists<OpenCase> {
  constructor(@InjectModel(OpenCases.name) model: Model<OpenCases>) {
    super(model, COLLECTIVE_WINDOW_MS);
  }
}
