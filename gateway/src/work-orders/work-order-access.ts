import { atLeast, decide, type Decision, type Principal } from '../access/policy';

/**
 * Who may see and work on repair work orders. Seeing follows the property (whoever sees the
 * property sees its work orders). Working on them (dispatch, arrival, completion, the requester's
 * confirmation) is for keys with the property, property heads and above, the desk that issues
 * work orders (customer service, 客服中心), the engineering department that does them, and the
 * staff member a work order is assigned to.
 */
export type WorkOrderAction = 'view' | 'work';

export interface WorkOrderPlace {
  propertyId: string;
  regionId: string;
  assigneeId: string;
}

const WORKING_DEPARTMENTS = ['customer_service', 'engineering'];

export function decideWorkOrder(principal: Principal, action: WorkOrderAction, order: WorkOrderPlace): Decision {
  const seen = decide(principal, 'view', { kind: 'property', id: order.propertyId, regionId: order.regionId });
  if (seen.outcome !== 'allowed') return { outcome: 'not_visible' };
  if (action === 'view' || principal.kind === 'partner') return seen;
  if (
    atLeast(principal.roleLevel, 'property_head') ||
    WORKING_DEPARTMENTS.includes(principal.departmentKind) ||
    (order.assigneeId !== '' && order.assigneeId === principal.staffId)
  ) {
    return seen;
  }
  return {
    outcome: 'denied',
    reason: 'work orders are worked on by customer service, engineering, their assignee and property heads',
  };
}
