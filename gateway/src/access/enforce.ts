import { NotFoundError } from '@complaints/service-kit';
import { ForbiddenError } from '../problems/errors';
import type { Decision } from './policy';

/** Turns a decision into the answer: not visible is 404 exactly like something missing, denied is 403. */
export function enforce(decision: Decision, what: string): void {
  if (decision.outcome === 'not_visible') throw new NotFoundError(what);
  if (decision.outcome === 'denied') throw new ForbiddenError(decision.reason);
}
