// What the gateway answers, written from its views (gateway/src/complaints/complaint.view.ts,
// gateway/src/lifecycle/lifecycle.view.ts, gateway/src/reports …). Most of these answers are
// described, not schema'd, in /openapi.json, so generated types would be `unknown` there.

export type Severity = 'general' | 'important' | 'major';
export type RoleLevel = 'frontline' | 'supervisor' | 'manager' | 'property_head' | 'regional_gm' | 'group_hq';
export type DeadlineName = 'firstReplyBy' | 'resolveBy' | 'callbackBy';

export const CHANNELS = [
  'phone',
  'walk_in',
  'letter',
  'fax',
  'email',
  'web',
  'app',
  'wechat',
  'social_media',
  'government_referral',
  'internal',
  'suggestion_box',
] as const;
export const COMPLAINANT_TYPES = ['consumer', 'tenant', 'owner', 'resident', 'other'] as const;
export const SEVERITIES: Severity[] = ['general', 'important', 'major'];
export const ROLE_LEVELS: RoleLevel[] = [
  'frontline',
  'supervisor',
  'manager',
  'property_head',
  'regional_gm',
  'group_hq',
];
export const CATEGORIES = [
  'service_quality',
  'goods_quality',
  'price_charges',
  'safety_security',
  'facilities_equipment',
  'environment_public_area',
  'contract',
  'repair',
  'suggestion',
  'other',
] as const;
export const STATUSES = [
  'registered',
  'assigned',
  'acknowledged',
  'investigating',
  'plan_proposed',
  'plan_approved',
  'awaiting_complainant',
  'resolved',
  'callback_done',
  'closed',
  'withdrawn',
  'merged',
] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES: Status[] = [
  'registered',
  'assigned',
  'acknowledged',
  'investigating',
  'plan_proposed',
  'plan_approved',
  'awaiting_complainant',
  'resolved',
  'callback_done',
];
export const LIABILITIES = ['responsible', 'non_liable', 'assist'] as const;
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export const CALLBACK_METHODS = ['phone', 'visit', 'message'] as const;

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
  resolution: { liability?: string; validity?: string; result?: string } | null;
  callbacks: Record<string, unknown>[];
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
  serviceItem: string;
  coComplainantCount: number;
  confidential: boolean;
  language: string;
  resolvedAtFirstContact: boolean;
  firstContactAnswer: string;
  category: string | null;
  department: string | null;
  overdue: boolean;
  lifecycle: Lifecycle | null;
}

export interface ComplaintPage {
  items: Complaint[];
  nextCursor: string | null;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: { kind: string; id: string; name: string } | null;
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
}
export interface Department {
  id: string;
  propertyId: string;
  name: string;
  kind: string;
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
  language: string;
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
}
