import type { DeadlineName, RoleLevel, Severity, Status } from '@complaints/domain';

export const LIFECYCLE_TASK_QUEUE = 'complaint-lifecycle';

/** One workflow per complaint; the id makes a second start for the same complaint impossible. */
export function lifecycleWorkflowId(complaintId: string): string {
  return `complaint-${complaintId}`;
}

/** Plain data (no generated proto types) so workflow histories stay readable and stable. */
export interface LifecycleInput {
  groupId: string;
  complaintId: string;
  number: string;
  propertyId: string;
  category: string;
  severity: Severity;
  department: string;
  /** RFC 3339: deadlines count from when the complainant reached us. */
  receivedAt: string;
}

export interface DeadlineState {
  name: DeadlineName;
  dueAt: string;
  met: boolean;
  breached: boolean;
}

export interface LifecycleState {
  groupId: string;
  status: Status;
  severity: Severity;
  /** The ladder level now responsible (SPEC §6). */
  level: RoleLevel;
  deadlines: DeadlineState[];
}

export interface DeadlineBreachedInput {
  groupId: string;
  complaintId: string;
  deadline: DeadlineName;
  dueAt: string;
  severity: Severity;
}
