import { atLeast, decide, type Decision, type Principal } from '../access/policy';

/** read: the book and the ledger; write: write, correct and sign entries; review: sign a day, archive a month. */
export type HandoverAction = 'read' | 'write' | 'review';

/**
 * Who may use a property's handover book (交接班本) and work ledger (工作台帐): whoever sees the
 * property reads it (staff in scope, keys of the property); entries are written and signed by
 * staff members in person (the desk, and anyone above it in scope); a day is reviewed and a month
 * archived by a supervisor or above (责任主管, 物业大管家). A property out of sight does not exist.
 */
export function decideHandover(
  principal: Principal,
  action: HandoverAction,
  property: { id: string; regionId: string } | undefined,
): Decision {
  if (!property) return { outcome: 'not_visible' };
  const visible = decide(principal, 'view', { kind: 'property', id: property.id, regionId: property.regionId });
  if (visible.outcome !== 'allowed' || action === 'read') return visible;
  if (principal.kind === 'partner') {
    return {
      outcome: 'denied',
      reason: 'the handover book is written, signed and reviewed by staff members signed in',
    };
  }
  if (action === 'review' && !atLeast(principal.roleLevel, 'supervisor')) {
    return { outcome: 'denied', reason: 'reviewing the ledger needs supervisor or above' };
  }
  return { outcome: 'allowed' };
}
