import { z } from 'zod';

// SPEC §11: the canonical identifiers used in the API, events and code.

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
export const channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof channel>;

export const COMPLAINANT_TYPES = ['consumer', 'tenant', 'owner', 'resident', 'other'] as const;
export const complainantType = z.enum(COMPLAINANT_TYPES);
export type ComplainantType = z.infer<typeof complainantType>;

export const PROPERTY_KINDS = ['mall', 'office_tower', 'residential_estate', 'villa'] as const;
export type PropertyKind = (typeof PROPERTY_KINDS)[number];

export const SEVERITIES = ['general', 'important', 'major'] as const;
export const severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severity>;

export const LIABILITIES = ['responsible', 'non_liable', 'assist'] as const;
export type Liability = (typeof LIABILITIES)[number];

/** The escalation ladder, bottom (0) to top (5): SPEC §6. */
export const ROLE_LEVELS = ['frontline', 'supervisor', 'manager', 'property_head', 'regional_gm', 'group_hq'] as const;
export type RoleLevel = (typeof ROLE_LEVELS)[number];

export const STATUSES = [
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
  'closed',
  'withdrawn',
  'merged',
] as const;
export type Status = (typeof STATUSES)[number];

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
export const category = z.enum(CATEGORIES);
export type Category = z.infer<typeof category>;

export const DEADLINE_NAMES = ['firstReplyBy', 'resolveBy', 'callbackBy'] as const;
export type DeadlineName = (typeof DEADLINE_NAMES)[number];

/** Complaint languages the templates exist in (SPEC §7). */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export const language = z.enum(LANGUAGES);
export type Language = z.infer<typeof language>;

export const VALIDITIES = ['valid', 'invalid'] as const;
export type Validity = (typeof VALIDITIES)[number];

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

export const CALLBACK_METHODS = ['phone', 'visit', 'message'] as const;
export type CallbackMethod = (typeof CALLBACK_METHODS)[number];

/** A quality spot check's verdict (品质部抽查): was the closed complaint handled as the procedures say. */
export const SPOT_CHECK_VERDICTS = ['conforming', 'nonconforming'] as const;
export type SpotCheckVerdict = (typeof SPOT_CHECK_VERDICTS)[number];
