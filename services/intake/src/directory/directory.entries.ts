import { z } from 'zod';
import { LANGUAGES, PROPERTY_KINDS, ROLE_LEVELS, TRADES } from '@complaints/domain';

// What a valid master-data entry is: shared by the gRPC API and the seed file.

const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Shanghai');

/** Deactivated entries stay (history names them) but are no longer used for new work. */
const activity = {
  inactive: z.boolean().default(false),
  /** ISO 8601; '' while active. */
  deactivatedAt: z.string().default(''),
};

export const regionEntry = z.object({ id, groupId: id, name: z.string().trim().min(1).max(200) });
export const propertyEntry = z.object({
  id,
  groupId: id,
  regionId: id,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(PROPERTY_KINDS),
  code: z.string().regex(/^[A-Z0-9]{2,12}$/, '2 to 12 upper-case letters or digits'),
  timeZone: z.string().min(1).default('Asia/Shanghai').pipe(timeZone),
  ...activity,
});
export const departmentEntry = z.object({
  id,
  groupId: id,
  propertyId: id,
  name: z.string().trim().min(1).max(200),
  kind: id,
  ...activity,
});
export const staffEntry = z.object({
  id,
  groupId: id,
  name: z.string().trim().min(1).max(200),
  roleLevel: z.enum(ROLE_LEVELS),
  departmentId: z.string().default(''),
  propertyIds: z.array(id).default([]),
  regionId: z.string().default(''),
  onDuty: z.boolean().default(false),
  email: z.union([z.literal(''), z.email()]).default(''),
  mobile: z
    .string()
    .regex(/^(\+\d{6,15})?$/, 'an international number such as +8613800138000')
    .default(''),
  wechatOpenId: z.string().max(128).default(''),
  language: z.enum(LANGUAGES).default('zh-CN'),
  /** Maintenance trades (work orders are dispatched by them). */
  trades: z.array(z.enum(TRADES)).max(TRADES.length).default([]),
  ...activity,
});

export type RegionEntry = z.infer<typeof regionEntry>;
export type PropertyEntry = z.infer<typeof propertyEntry>;
export type DepartmentEntry = z.infer<typeof departmentEntry>;
export type StaffEntry = z.infer<typeof staffEntry>;

/** A seed file: one group's master data. */
export const directorySeed = z.object({
  groupId: id,
  regions: z.array(regionEntry.omit({ groupId: true })),
  properties: z.array(propertyEntry.omit({ groupId: true })),
  departments: z.array(departmentEntry.omit({ groupId: true })),
  staff: z.array(staffEntry.omit({ groupId: true })),
});
export type DirectorySeed = z.infer<typeof directorySeed>;
