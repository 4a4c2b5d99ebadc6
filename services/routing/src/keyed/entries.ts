import type { Decision } from '../classification/decision.schema';
import type { OpenCase, PastComplaint } from './keyed.schema';

/** The decision as its complainant's history lists it. */
export function pastComplaint(decision: Decision): PastComplaint {
  return {
    id: decision._id,
    number: decision.number,
    propertyId: decision.propertyId,
    category: decision.category,
    receivedAt: decision.receivedAt,
  };
}

/** The decision as an open case others may join; undefined when closed or handled in another case. */
export function openCase(decision: Decision): OpenCase | undefined {
  if (decision.state !== 'open' || decision.mergedInto) return undefined;
  return {
    id: decision._id,
    number: decision.number,
    complainantKey: decision.complainantKey,
    receivedAt: decision.receivedAt,
    location: decision.location,
    locationKey: decision.locationKey,
    description: decision.description,
    isCollectiveParent: decision.isCollectiveParent,
  };
}
