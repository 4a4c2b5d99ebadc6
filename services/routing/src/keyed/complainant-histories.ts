import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { KeyedLists } from './keyed-list';
import { ComplainantHistory, type PastComplaint } from './keyed.schema';

/** How far back a complaint by the same person about the same matter counts as a repeat (and a duplicate links). */
export const REPEAT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The history's `_id`, or undefined for a key that names a single complaint (no pseudonym, or
 * erased): such a complaint is nobody's repeat, so there is nothing to keep or read.
 */
export function historyKey(groupId: string, complainantKey: string): string | undefined {
  if (complainantKey.startsWith('complaint:') || complainantKey.startsWith('erased:')) return undefined;
  return `${groupId}:${complainantKey}`;
}

/** `routing_complainants`: each complainant's complaints of the last 30 days. */
@Injectable()
export class ComplainantHistories extends KeyedLists<PastComplaint> {
  constructor(@InjectModel(ComplainantHistory.name) model: Model<ComplainantHistory>) {
    super(model, REPEAT_WINDOW_MS);
  }
}
