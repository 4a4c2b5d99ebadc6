import type {
  CauseCategory,
  DeadlineName,
  RemedyKind,
  LifecycleActionName,
  LifecycleActionParams,
  Liability,
  RoleLevel,
  Satisfaction,
  Severity,
  Status,
  Validity,
} from '@complaints/domain';
import type { WorkingCalendar } from '../deadlines/working-calendar';
import type { DeadlinePolicy, TimeLimit } from '../policies/deadline-policy';

export const LIFECYCLE_TASK_QUEUE = 'complaint-lifecycle';

/** One workflow per complaint; the id makes a second start for the same complaint impossible. */
export function lifecycleWorkflowId(complaintId: string): string {
  return `complaint-${complaintId}`;
}

export interface StaffRef {
  id: string;
  name: string;
  /** The partner's API key the staff member acted through ("李娜 via <key>"); absent when they signed in. */
  via?: { keyId: string; name: string };
}

/** The staff member an action is done by, with the ladder level the directory gives them. */
export interface ActingStaff extends StaffRef {
  level: RoleLevel;
}

/**
 * Plain data (no generated proto types) so workflow histories stay readable and stable. The
 * policy and calendar are resolved when the lifecycle starts and travel with it: a running
 * complaint keeps the rules it was received under, and the workflow needs no I/O for them.
 */
export interface LifecycleInput {
  groupId: string;
  complaintId: string;
  number: string;
  propertyId: string;
  regionId: string;
  channel: string;
  category: string;
  severity: Severity;
  department: string;
  /** RFC 3339: deadlines count from when the complainant reached us. */
  receivedAt: string;
  /** RFC 3339: the complainant's requested date (SPEC §5); earlier than the policy's resolution deadline, it is the deadline. */
  requestedBy?: string;
  handler: StaffRef | null;
  propertyHead: StaffRef | null;
  /** Media exposure or a government referral: group HQ is told at once (SPEC §6). */
  alertGroupHq: boolean;
  policy: DeadlinePolicy;
  calendar: WorkingCalendar;
  /** Continue-as-new after this many steps (wake-ups and events) of one run; tests make it small. */
  stepLimit?: number;
  /** Carried over by continue-as-new: the state to go on from. */
  resume?: LifecycleState;
}

/**
 * One deadline's clock. Time is counted in the basis of its limit (calendar or working) so
 * that pausing, a severity change and an extension all keep the time already used.
 */
export interface DeadlineClock {
  name: DeadlineName;
  limit: TimeLimit;
  /** Basis-time allowed in total (the limit, plus approved extensions). */
  allowedMs: number;
  /** Basis-time used before `runningSince`. */
  usedMs: number;
  /** RFC 3339; null while paused (awaiting the complainant, merged). */
  runningSince: string | null;
  /** RFC 3339; null while paused or done. */
  dueAt: string | null;
  remindAt: string | null;
  reminded: boolean;
  /** RFC 3339 of the action that met it. */
  metAt: string | null;
  /** How often it was missed; each miss climbed the ladder one level. */
  breaches: number;
}

export interface Extension {
  number: number;
  deadline: DeadlineName;
  until: string;
  /** Basis-time the approval adds, measured when requested. */
  addsMs: number;
  reason: string;
  requestedBy: StaffRef;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: StaffRef | null;
}

export interface CallbackRecord {
  at: string;
  by: StaffRef;
  outcome: 'attempt' | 'completed';
  method: string;
  personReached: string | null;
  satisfaction: Satisfaction | null;
  comments: string | null;
  /** Who signed it (SPEC §5): staff "on behalf, by phone", or the complainant's e-signature or photo (an attachment). */
  signature?: string | null;
}

/**
 * The callback retry plan (SPEC §5: a complainant not reached is called again), made when a
 * valid complaint is resolved. Each failed attempt plans the next at the policy's spacing, never
 * after callbackBy, and the workflow reminds the caller when it is due.
 */
export interface CallbackPlan {
  /** Failed attempts since the complaint was (last) resolved. */
  attemptsMade: number;
  attemptsAllowed: number;
  /** RFC 3339: when the next attempt is due; null before the first attempt and once all are used. */
  nextAttemptAt: string | null;
  /** Who made the last attempt: they are reminded of the next one. */
  caller: StaffRef | null;
  /** The reminder for nextAttemptAt went out. */
  reminded: boolean;
}

/**
 * A satisfaction survey sent to the complainant (a callback by message): its link carries the
 * number, so a link of an earlier survey is told apart from the current one.
 */
export interface Survey {
  number: number;
  sentAt: string;
  sentBy: StaffRef;
  /** RFC 3339 of the complainant's answer; null until then. */
  answeredAt: string | null;
}

/**
 * Why a deadline was missed: `missed` while staff had the complaint; `platform_late` when the
 * platform took (nearly) all of its time before the lifecycle started (routing or the start
 * fell behind), so reports never count it against staff (issue 17, item 8).
 */
export type BreachCause = 'missed' | 'platform_late';

export interface BreachRecord {
  deadline: DeadlineName;
  dueAt: string;
  at: string;
  levelReached: RoleLevel;
  /** Absent in breaches recorded by earlier workflow code: those were read as `missed`. */
  cause?: BreachCause;
}

/** How a complaint was resolved (SPEC §3–§4): liability, the result, and what was given and done about it. */
export interface Resolution {
  liability: Liability;
  validity: Validity;
  result: string;
  by: ActingStaff;
  at: string;
  /** 退换修赔: approved by the one resolving, within their level's authority (REMEDY_AUTHORITY_YUAN). */
  remedy?: { kind: RemedyKind; amount?: string; note?: string; approvedBy: ActingStaff };
  cause?: { text: string; category?: CauseCategory };
  /** 纠正与预防措施: followed as a corrective action of its own (corrective-actions/). */
  correctiveAction?: { description: string; owner: StaffRef; dueAt: string };
}

export interface LifecycleState {
  groupId: string;
  complaintId: string;
  propertyId: string;
  regionId: string;
  status: Status;
  /** Where awaiting_complainant, awaiting_outside_body or merged returns to. */
  pausedFrom: Status | null;
  /** While awaiting_outside_body (or awaiting_work_order: the work order's number and id): who is waited on and since when. Absent in earlier states. */
  waitingOn?: { body: string; since: string; workOrderId?: string } | null;
  severity: Severity;
  /** The ladder level now responsible (SPEC §6). */
  level: RoleLevel;
  handler: StaffRef | null;
  propertyHead: StaffRef | null;
  /** 1 until reopened; 2 and 3 are the reopen rounds (SPEC §4, §6). */
  round: number;
  clocks: DeadlineClock[];
  breaches: BreachRecord[];
  extensions: Extension[];
  plan: { text: string; proposedBy: StaffRef; approvedBy: StaffRef | null } | null;
  resolution: Resolution | null;
  callbacks: CallbackRecord[];
  /** Absent in states of earlier workflow code and until a valid resolution. */
  callbackPlan?: CallbackPlan | null;
  /** The latest survey sent (a new one replaces it); absent until one is sent. */
  survey?: Survey | null;
  /** Supervision from above (督办), oldest first; the last is current until accepted. Absent until the first. */
  supervisions?: Supervision[];
  /** Set when severity became major by age, so it happens once. */
  autoUpgraded: boolean;
  /** RFC 3339: when the complainant last heard of progress (for the periodic-update rule). */
  lastProgressAt: string;
  /** Counts events published so far: event ids derive from it, so a retry never duplicates. */
  eventSeq: number;
  /**
   * RFC 3339: when the lifecycle started (its first run), to tell a deadline the platform let
   * pass from one staff missed. Absent in states carried over from earlier workflow code.
   */
  startedAt?: string;
}

/**
 * One supervision (督办): a property head or higher asks for something by a due time; the
 * handler answers, the supervisor accepts (it ends) or returns it (answered again).
 */
export interface Supervision {
  number: number;
  by: StaffRef;
  /** The supervisor's ladder level: accepting or returning the answer needs it (or higher). */
  level: RoleLevel;
  instructions: string;
  /** RFC 3339. */
  dueAt: string;
  at: string;
  status: 'open' | 'answered' | 'returned' | 'accepted';
  /** RFC 3339: when dueAt passed without an answer; null while not overdue. */
  overdueAt: string | null;
  /** Answers and returns in order: what the handler did, and why it was sent back. */
  rounds: { kind: 'answer' | 'return'; at: string; by: StaffRef; text: string }[];
  acceptedAt: string | null;
  acceptedBy: StaffRef | null;
}

/** An action as the escalation service hands it to the workflow, already validated and with its actor resolved. */
export type ActionRequest = {
  [A in LifecycleActionName]: {
    action: A;
    params: LifecycleActionParams<A>;
    actor: ActingStaff;
    /** resolve: the corrective action's owner as the directory names them. */
    owner?: StaffRef;
  };
}[LifecycleActionName];

/** What every lifecycle event published from the workflow carries (see activities). */
export type LifecycleEvent =
  | {
      kind: 'transitioned';
      action: string;
      from: Status;
      to: Status;
      actor: StaffRef | null;
      reason: string;
      details: Record<string, unknown>;
    }
  // `staff`: whom a callbackAttempt reminder is for (the last caller).
  | { kind: 'reminder'; deadline: DeadlineName | 'progressUpdate' | 'callbackAttempt'; dueAt: string; staff?: StaffRef }
  // `cause` is absent only in events scheduled by earlier workflow code.
  | { kind: 'breached'; deadline: DeadlineName; dueAt: string; cause?: BreachCause }
  | { kind: 'escalated'; from: RoleLevel; to: RoleLevel; cause: string; notify: RoleLevel[] };

export interface PublishLifecycleEventInput {
  groupId: string;
  complaintId: string;
  /** Derived from the workflow (complaint + sequence number): the JetStream message id. */
  eventKey: string;
  occurredAt: string;
  severity: Severity;
  level: RoleLevel;
  round: number;
  status: Status;
  deadlines: Partial<Record<DeadlineName, string>>;
  /** The level that must decide a proposed plan or a pending extension; '' when none waits (queues). */
  awaitingApprovalLevel?: RoleLevel | '';
  event: LifecycleEvent;
}
