// What the gateway answers, written from its views (gateway/src/complaints/complaint.view.ts,
// gateway/src/lifecycle/lifecycle.view.ts, gateway/src/reports …). Most of these answers are
// described, not schema'd, in /openapi.json, so generated types would be `unknown` there.

import type { Schemas } from './schemas';

// The SPEC §11 vocabulary is the domain package's, the same lists the gateway validates with.
import type { DeadlineName, RoleLevel, Severity, Status } from '@complaints/domain';

export {
  CALLBACK_METHODS,
  CATEGORIES,
  CAUSE_CATEGORIES,
  CHANNELS,
  MONEY_REMEDIES,
  REMEDY_KINDS,
  COMPLAINANT_TYPES,
  LIABILITIES,
  ROLE_LEVELS,
  SATISFACTIONS,
  SEVERITIES,
  STATUSES,
  type DeadlineName,
  type RoleLevel,
  type Severity,
  type Status,
} from '@complaints/domain';

export const OPEN_STATUSES: Status[] = [
  'registered',
  'assigned',
  'acknowledged',
  'investigating',
  'plan_proposed',
  'plan_approved',
  'awaiting_complainant',
  'awaiting_outside_body',
  'awaiting_work_order',
  'resolved',
  'callback_done',
];

export interface StaffRef {
  id: string;
  name: string;
}

export interface Deadline {
  dueAt: string | null;
  met: boolean;
  breaches: number;
  paused: boolean;
}

export interface Extension {
  number: number;
  deadline: DeadlineName;
  until: string;
  reason: string;
  requestedBy?: StaffRef;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy?: StaffRef | null;
}

export interface Lifecycle {
  status: Status;
  severity: Severity;
  escalationLevel: RoleLevel;
  handler: StaffRef | null;
  propertyHead: StaffRef | null;
  reopenRound: number;
  firstReplyBy: string | null;
  resolveBy: string | null;
  callbackBy: string | null;
  deadlines: Partial<Record<DeadlineName, Deadline>>;
  breaches: Record<string, unknown>[];
  extensions: Extension[];
  plan: { text?: string; proposedBy?: StaffRef; approvedBy?: StaffRef | null } | null;
  resolution: {
    liability?: string;
    validity?: string;
    result?: string;
    /** 退换修赔: approved by the one resolving, within their level's authority. */
    remedy?: { kind: string; amount?: string; note?: string; approvedBy?: StaffRef & { level?: string } };
    cause?: { text: string; category?: string };
    /** 纠正与预防措施, followed on the corrective actions page. */
    correctiveAction?: { description: string; owner: StaffRef; dueAt: string };
  } | null;
  callbacks: Record<string, unknown>[];
  /** The callback retry plan (SPEC §5): null until the complaint is resolved valid. */
  callbackPlan: {
    attemptsMade: number;
    attemptsAllowed: number;
    nextAttemptAt: string | null;
    caller: StaffRef | null;
  } | null;
  /** The satisfaction survey last sent to the complainant. */
  survey: { number: number; sentAt: string; sentBy: StaffRef | null; answeredAt: string | null } | null;
  /** While awaiting_outside_body (assist): who is waited on, since when. */
  waitingOn?: { body: string; since: string } | null;
  /** The supervision from above (督办) now running; null when none. */
  supervision?: Supervision | null;
  /** Every supervision, oldest first. */
  supervisions?: Supervision[];
}

/** Supervision from above (督办), as gateway/src/lifecycle/lifecycle.view.ts gives it. */
export interface Supervision {
  number: number;
  by: StaffRef | null;
  level: RoleLevel;
  instructions: string;
  dueAt: string;
  at: string;
  status: 'open' | 'answered' | 'returned' | 'accepted';
  overdueAt: string | null;
  rounds: { kind: 'answer' | 'return'; at: string; by: StaffRef | null; text: string }[];
  acceptedAt: string | null;
  acceptedBy: StaffRef | null;
}

/** A quality spot check (品质部抽查) of a closed complaint. */
export interface SpotCheck {
  verdict: 'conforming' | 'nonconforming';
  findings: string;
  followUp: string | null;
  by: StaffRef | null;
  at: string;
}

export interface Complainant {
  name: string;
  contact: string;
  type: string;
  unit: string;
  anchorTenant: boolean;
}

export interface Complaint {
  id: string;
  number: string;
  status: Status;
  severity: Severity | null;
  escalationLevel: RoleLevel | null;
  owner: { kind: string; id: string; name: string } | null;
  handler: StaffRef | null;
  firstReplyBy: string | null;
  resolveBy: string | null;
  callbackBy: string | null;
  reopenRound: number;
  propertyId: string;
  regionId: string;
  channel: string;
  receivedAt: string;
  registeredAt: string;
  complainant: Complainant;
  location: string;
  description: string;
  demand: string;
  involvedDepartment: string;
  involvedStaff: string;
  /** The staff member complained about, from the directory; null when not known. */
  involvedStaffId: string | null;
  /** Rewards and penalties decided after the complaint (奖惩), oldest first. */
  consequences: StaffConsequence[];
  /** A government referral: the referring body and its own ticket number; null otherwise. */
  referral: { agency: string; ticketNumber: string } | null;
  serviceItem: string;
  coComplainantCount: number;
  confidential: boolean;
  language: string;
  resolvedAtFirstContact: boolean;
  firstContactAnswer: string;
  /** By when the complainant asked for a resolution; it caps the resolution deadline. */
  requestedBy: string | null;
  /** When the incident happened. */
  incidentAt: string | null;
  category: string | null;
  department: string | null;
  overdue: boolean;
  /** The nearest running deadline (what queues are sorted by); null when none runs. */
  nextDeadline: { name: DeadlineName; dueAt: string } | null;
  /** The role level that must decide a proposed plan or a requested extension. */
  awaitingApprovalLevel: RoleLevel | null;
  lifecycle: Lifecycle | null;
  /** Quality spot checks of the closed complaint, oldest first. */
  spotChecks?: SpotCheck[];
}

export interface ComplaintPage {
  items: Complaint[];
  nextCursor: string | null;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: { kind: string; id: string; name: string; via?: { keyId: string; name: string } | null } | null;
  details: Record<string, unknown>;
}

export interface Region {
  id: string;
  name: string;
}
export interface Property {
  id: string;
  regionId: string;
  name: string;
  kind: string;
  code: string;
  timeZone: string;
  /** Deactivated (its history stays): takes no new complaints. */
  inactive?: boolean;
  deactivatedAt?: string;
}
export interface Department {
  id: string;
  propertyId: string;
  name: string;
  kind: string;
  inactive?: boolean;
  deactivatedAt?: string;
}
export interface Staff {
  id: string;
  name: string;
  roleLevel: RoleLevel;
  departmentId: string;
  propertyIds: string[];
  regionId: string;
  onDuty: boolean;
  email: string;
  mobile: string;
  wechatOpenId?: string;
  language: string;
  /** Maintenance trades they do: repair work orders are dispatched by them. */
  trades?: Schemas['Staff']['trades'];
  /** Deactivated (left the group): cannot sign in, never given work, kept in history. */
  inactive?: boolean;
  deactivatedAt?: string;
}
export interface Directory {
  regions: Region[];
  properties: Property[];
  departments: Department[];
  staff: Staff[];
}

export interface ReportFigureValue {
  [figure: string]: number | null | Record<string, number>;
}

export interface Report {
  period: { kind: string; key: string; start: string; end: string; timeZone: string };
  scope: string;
  figures: Record<string, unknown>;
  breakdowns: Record<string, { key: string; figures: Record<string, unknown> }[] | Record<string, unknown>>;
  recurringProblems: Record<string, unknown>[];
  top: Record<string, unknown>;
  majorComplaints: Record<string, unknown>[];
}

/** `GET /v1/reports/stored`: a scheduled report of a scope and its deliveries to the scope's heads. */
export interface StoredReport {
  periodKind: 'week' | 'month';
  periodKey: string;
  scope: string;
  generatedAt: string;
  /** Null while notification's records cannot be read. */
  deliveries: ReportDelivery[] | null;
}

export interface ReportDelivery {
  recipientId: string;
  recipientName: string;
  recipientRole: string;
  address: string;
  status: 'pending' | 'deferred' | 'sent' | 'failed' | 'dead';
  attempts: number;
  at: string;
  reason: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  admin?: boolean;
  propertyIds?: string[] | null;
  createdAt?: string;
  revokedAt?: string | null;
  key?: string;
}

export interface ConsoleConfig {
  /** Staff sign in here (authorization code + PKCE); null: this gateway has no OpenID Connect issuer configured. */
  oidc: { issuerUrl: string; clientId: string; scope: string; redirectPath: string } | null;
  /** Local and development only: sign in with an API key and pick the staff member to act as. */
  developerSignIn: boolean;
  /**
   * Asked for one group (`?group=`): that group, or null when the gateway knows none by that id
   * (`oidc` is then null too). Absent: the sign-in set in the gateway's environment.
   */
  group?: { id: string; name: string; status: 'active' | 'suspended' } | null;
}

/** A reward or penalty decided for a staff member after a complaint. */
export interface StaffConsequence {
  staff: StaffRef;
  kind: 'reward' | 'penalty';
  measure: string;
  amount: string | null;
  reason: string;
  decidedBy: { kind: string; id: string; name: string; viaKeyId?: string; viaKeyName?: string } | null;
  decidedLevel: RoleLevel;
  decidedAt: string;
}
