import { z } from 'zod';
import { LANGUAGES, PROPERTY_KINDS, ROLE_LEVELS, TRADES } from '@complaints/domain';

// Admin bodies for master data (SPEC §1); the id comes from the path, the group from the caller.
// Intake checks references (region of a property, property of a department) and code uniqueness.

const name = z.string().trim().min(1).max(200);
const id = z.string().trim().min(1).max(64);

export const regionBody = z.strictObject({ name });
export const propertyBody = z.strictObject({
  regionId: id,
  name,
  kind: z.enum(PROPERTY_KINDS),
  code: z.string().regex(/^[A-Z0-9]{2,12}$/, '2 to 12 upper-case letters or digits'),
  timeZone: z.string().min(1).default('Asia/Shanghai'),
});
export const departmentBody = z.strictObject({ propertyId: id, name, kind: id });
export const staffBody = z.strictObject({
  name,
  roleLevel: z.enum(ROLE_LEVELS),
  departmentId: z.string().max(64).default(''),
  propertyIds: z.array(id).max(1000).default([]),
  regionId: z.string().max(64).default(''),
  onDuty: z.boolean().default(false),
  email: z.union([z.literal(''), z.email()]).default(''),
  mobile: z
    .string()
    .regex(/^(\+\d{6,15})?$/, 'an international number such as +8613800138000')
    .default(''),
  wechatOpenId: z.string().max(128).default(''),
  language: z.enum(LANGUAGES).default('zh-CN'),
  trades: z
    .array(z.enum(TRADES))
    .max(TRADES.length)
    .default([])
    .describe('maintenance trades they do: repair work orders are dispatched by them'),
});
