import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import type { ComplaintFacts } from './complaint-facts.schema';

export type FactChanges = {
  set: Partial<
    Pick<ComplaintFacts, 'number' | 'propertyId' | 'channel' | 'receivedAt' | 'category' | 'severity' | 'department'>
  >;
  addBreach?: string;
};

/**
 * What one event says about a complaint. Each event type owns its own fields, so the
 * projection comes out the same in any arrival order.
 */
export function factChanges(event: v1.EventEnvelope): FactChanges {
  const registered = payloadOf(event, 'registered')?.complaint;
  if (registered) {
    return {
      set: {
        number: registered.number,
        propertyId: registered.propertyId,
        channel: registered.channel,
        receivedAt: new Date(registered.receivedAt),
      },
    };
  }
  const routed = payloadOf(event, 'routed');
  if (routed) {
    return {
      set: {
        number: routed.number,
        propertyId: routed.propertyId,
        category: routed.category,
        severity: routed.severity,
        department: routed.department,
      },
    };
  }
  const breached = payloadOf(event, 'deadline_breached');
  if (breached) return { set: {}, addBreach: breached.deadline };
  return { set: {} };
}
