import { ROLE_LEVELS, type RoleLevel } from '@complaints/domain';

/**
 * Who may do what (SPEC §1, §6, §9, §11): one pure function decides every action of the gateway,
 * for partner API keys and signed-in staff alike. No Nest, no I/O: the controllers fetch the
 * resource and the principal, ask `decide`, and map the answer (not_visible → 404, denied → 403).
 *
 * Staff permission = role level × scope × department:
 * - scope: group_hq the whole group; regional_gm their region; everyone else their properties.
 * - department: frontline, supervisor and manager see every complaint of their properties (the
 *   desk answers complainants about any of them) but act only on their own department's, except
 *   customer service, the coordinator of every complaint (SPEC §1). property_head and above act
 *   on everything in scope.
 * - a confidential complaint (保密服务) exists only for the staff named on it, the staff member who
 *   registered it and its handler (within their scope), whatever their level, and, among partners,
 *   for the key that registered it and admin keys.
 * Partners keep their rules: their group, the key's properties (null: all), admin for settings;
 * an admin key limited to properties administers those properties only.
 */

export type Principal = PartnerPrincipal | StaffPrincipal;

export interface PartnerPrincipal {
  kind: 'partner';
  groupId: string;
  keyId: string;
  /** null: every property of the group. */
  propertyIds: string[] | null;
  admin: boolean;
}

export interface StaffPrincipal {
  kind: 'staff';
  groupId: string;
  staffId: string;
  roleLevel: RoleLevel;
  propertyIds: string[];
  /** A regional GM's region; empty otherwise. */
  regionId: string;
  /** The kind of their department (customer_service, engineering …); empty above department level. */
  departmentKind: string;
}

export const ACTIONS = [
  'view',
  'act',
  'approve',
  'reassign',
  'export',
  'reveal_personal_data',
  'spot_check',
  'manage_master_data',
  'manage_policies',
  'manage_api_keys',
  'audit_access_log',
  'erase_personal_data',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface ComplaintResource {
  kind: 'complaint';
  propertyId: string;
  regionId: string;
  /** The routed department kind; empty until routed. */
  department: string;
  confidential: boolean;
  confidentialStaffIds: string[];
  registeredBy: { kind: string; id: string };
  /** The staff member handling it (escalation's lifecycle knows), when the caller has it at hand. */
  handlerId?: string;
  /** The level an approval needs (the deadline policy's approver), when the action is approve. */
  requiredLevel?: RoleLevel;
}

/** A scope of settings or reports: the group, a region, or a property (with its region). */
export type ScopeResource =
  { kind: 'group' } | { kind: 'region'; id: string } | { kind: 'property'; id: string; regionId: string };

export type Resource = ComplaintResource | ScopeResource;

export type Decision = { outcome: 'allowed' } | { outcome: 'denied'; reason: string } | { outcome: 'not_visible' };

const ALLOWED: Decision = { outcome: 'allowed' };
const NOT_VISIBLE: Decision = { outcome: 'not_visible' };
const denied = (reason: string): Decision => ({ outcome: 'denied', reason });

const COMPLAINT_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'view',
  'act',
  'approve',
  'reassign',
  'reveal_personal_data',
  'spot_check',
]);

const rank = (level: RoleLevel) => ROLE_LEVELS.indexOf(level);
export const atLeast = (level: RoleLevel, minimum: RoleLevel) => rank(level) >= rank(minimum);

/** The department that coordinates every complaint of its property. */
const COORDINATOR = 'customer_service';

function staffSees(staff: StaffPrincipal, place: { propertyId: string; regionId: string }): boolean {
  if (staff.roleLevel === 'group_hq') return true;
  if (staff.roleLevel === 'regional_gm') return staff.regionId !== '' && staff.regionId === place.regionId;
  return staff.propertyIds.includes(place.propertyId);
}

function partnerSees(partner: PartnerPrincipal, propertyId: string): boolean {
  return partner.propertyIds === null || partner.propertyIds.includes(propertyId);
}

/** Whether the complaint exists for the principal at all. */
function complaintVisible(principal: Principal, complaint: ComplaintResource): boolean {
  if (principal.kind === 'partner') {
    if (!partnerSees(principal, complaint.propertyId)) return false;
    return (
      !complaint.confidential ||
      principal.admin ||
      (complaint.registeredBy.kind === 'partner' && complaint.registeredBy.id === principal.keyId)
    );
  }
  if (complaint.confidential && !mayKnowConfidential(principal.staffId, complaint)) return false;
  return staffSees(principal, complaint);
}

/** The staff named on a confidential complaint, the staff member who registered it and its handler. */
function mayKnowConfidential(staffId: string, complaint: ComplaintResource): boolean {
  return (
    complaint.confidentialStaffIds.includes(staffId) ||
    (complaint.registeredBy.kind === 'staff' && complaint.registeredBy.id === staffId) ||
    (complaint.handlerId !== undefined && complaint.handlerId === staffId)
  );
}

/** Below property head, hands-on work stays in one's department (or the coordinating one), or with its handler. */
function ownDepartment(staff: StaffPrincipal, complaint: ComplaintResource): boolean {
  if (atLeast(staff.roleLevel, 'property_head') || complaint.handlerId === staff.staffId) return true;
  return (
    staff.departmentKind === COORDINATOR ||
    (staff.departmentKind !== '' && staff.departmentKind === complaint.department)
  );
}

/** The quality department (品质部) checks closed complaints' handling (spot checks). */
export const QUALITY_DEPARTMENT = 'quality';
const QUALITY_ONLY = 'spot checks are for the quality department (品质部)';

export function isQualityStaff(staff: { departmentKind: string }): boolean {
  return staff.departmentKind === QUALITY_DEPARTMENT;
}

function decideComplaint(principal: Principal, action: Action, complaint: ComplaintResource): Decision {
  if (!complaintVisible(principal, complaint)) return NOT_VISIBLE;
  if (principal.kind === 'partner') {
    if (!COMPLAINT_ACTIONS.has(action)) return denied(`${action} is not an action on a complaint`);
    // Keys register and act with the data they were given; reading it back in the clear is for
    // the group's admin keys (SPEC §9: revealing takes a permission).
    if (action === 'reveal_personal_data' && !principal.admin)
      return denied('revealing personal data needs an admin API key');
    // A partner acts for a named staff member; escalation checks that member's level.
    return ALLOWED;
  }
  const staff = principal;
  switch (action) {
    case 'view':
      return ALLOWED;
    case 'act':
      return ownDepartment(staff, complaint) ? ALLOWED : denied('this complaint belongs to another department');
    case 'approve': {
      const needed = complaint.requiredLevel ?? 'supervisor';
      if (!atLeast(staff.roleLevel, needed)) return denied(`approving this needs ${needed} or above`);
      return ownDepartment(staff, complaint) ? ALLOWED : denied('this complaint belongs to another department');
    }
    case 'reassign':
      if (!atLeast(staff.roleLevel, 'supervisor')) return denied('overriding routing needs supervisor or above');
      return ownDepartment(staff, complaint) ? ALLOWED : denied('this complaint belongs to another department');
    case 'reveal_personal_data':
      // Senior management in scope, the handler, and the department handling it (the handler's line).
      return atLeast(staff.roleLevel, 'property_head') ||
        complaint.handlerId === staff.staffId ||
        // A complaint not yet routed has no department: staff without one must not match it.
        (staff.departmentKind !== '' && staff.departmentKind === complaint.department)
        ? ALLOWED
        : denied('personal data is shown to the handling department and property heads and above');
    case 'spot_check':
      return isQualityStaff(staff) ? ALLOWED : denied(QUALITY_ONLY);
    default:
      return denied(`${action} is not an action on a complaint`);
  }
}

function staffSeesScope(staff: StaffPrincipal, scope: ScopeResource): boolean {
  if (staff.roleLevel === 'group_hq') return true;
  if (scope.kind === 'group') return true; // the group exists for everyone in it; what they may do there is below
  if (scope.kind === 'region') return staff.roleLevel === 'regional_gm' && staff.regionId === scope.id;
  return staffSees(staff, { propertyId: scope.id, regionId: scope.regionId });
}

function decideScope(principal: Principal, action: Action, scope: ScopeResource): Decision {
  if (principal.kind === 'partner') {
    if (scope.kind === 'property' && !partnerSees(principal, scope.id)) return NOT_VISIBLE;
    if (action === 'view') return ALLOWED;
    if (action === 'export') {
      // A key limited to properties reports on them one at a time, never on the group or a region.
      return principal.propertyIds === null || scope.kind === 'property'
        ? ALLOWED
        : denied(
            `this API key sees only the properties ${principal.propertyIds.join(', ')}: ask for scope=property:<id>`,
          );
    }
    if (action === 'manage_master_data' || action === 'manage_policies' || action === 'manage_api_keys') {
      if (!principal.admin) return denied('this needs an admin API key');
      // A key limited to properties administers those properties' things, never what shapes the
      // group or a region (SPEC §1: the group's settings are headquarters').
      if (scope.kind !== 'property' && principal.propertyIds !== null) {
        return denied(
          `this API key administers only the properties ${principal.propertyIds.join(', ')}: ${scope.kind}-wide settings need an admin API key of the whole group`,
        );
      }
      return ALLOWED;
    }
    if (action === 'audit_access_log' || action === 'erase_personal_data') {
      // The access log and a complainant's complaints span every property of the group.
      return principal.admin && principal.propertyIds === null
        ? ALLOWED
        : denied(`${action} needs an admin API key of the whole group`);
    }
    return denied(`${action} is not an action on a scope`);
  }
  const staff = principal;
  if (!staffSeesScope(staff, scope)) return NOT_VISIBLE;
  switch (action) {
    case 'view':
      return ALLOWED;
    case 'export':
      if (!atLeast(staff.roleLevel, 'property_head')) return denied('reports are for property heads and above');
      if (scope.kind === 'group' && staff.roleLevel !== 'group_hq') {
        return denied('group-wide reports are for group headquarters: ask for your region or property');
      }
      return ALLOWED;
    // Deadline policies, routing rules, notification and report settings, master data and keys
    // shape the whole group, and the access log (调阅记录) and erasure requests span it:
    // headquarters only.
    case 'manage_policies':
    case 'manage_master_data':
    case 'manage_api_keys':
    case 'audit_access_log':
    case 'erase_personal_data':
      return staff.roleLevel === 'group_hq' ? ALLOWED : denied(`${action} is for group headquarters`);
    default:
      return denied(`${action} is not an action on a scope`);
  }
}

/** The one decision: may `principal` do `action` on `resource`? */
export function decide(principal: Principal, action: Action, resource: Resource): Decision {
  return resource.kind === 'complaint'
    ? decideComplaint(principal, action, resource)
    : decideScope(principal, action, resource);
}

/**
 * What a list query must be limited to, so pages hold only what the principal may see
 * (filtering after paging would leave pages short and counts wrong).
 */
export interface ListScope {
  /** Properties (empty: no limit). */
  propertyScope: string[];
  /** Regions (empty: no limit). */
  regionScope: string[];
  /**
   * Undefined: every confidential complaint; otherwise only those naming the staff, registered by
   * the staff or the partner actor, or handled by the staff.
   */
  confidentialViewer?: { staffId: string; actorId: string };
}

/** No property has an empty id: a staff member without properties sees nothing. */
const NOTHING = [''];

export function listScope(principal: Principal): ListScope {
  if (principal.kind === 'partner') {
    return {
      propertyScope: principal.propertyIds ?? [],
      regionScope: [],
      confidentialViewer: principal.admin ? undefined : { staffId: '', actorId: principal.keyId },
    };
  }
  const confidentialViewer = { staffId: principal.staffId, actorId: '' };
  if (principal.roleLevel === 'group_hq') return { propertyScope: [], regionScope: [], confidentialViewer };
  if (principal.roleLevel === 'regional_gm') {
    return { propertyScope: [], regionScope: principal.regionId ? [principal.regionId] : NOTHING, confidentialViewer };
  }
  return {
    propertyScope: principal.propertyIds.length > 0 ? principal.propertyIds : NOTHING,
    regionScope: [],
    confidentialViewer,
  };
}
