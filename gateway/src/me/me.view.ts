import { z } from 'zod';
import { ROLE_LEVELS } from '@complaints/domain';
import { ACTIONS } from '../access/policy';

/** The answer of `GET /v1/me`: who the caller is and what they may do beyond single complaints. */
const named = z.object({ id: z.string(), name: z.string() });

export const meStaffView = z
  .object({
    id: z.string(),
    name: z.string(),
    roleLevel: z.enum(ROLE_LEVELS),
    properties: z.array(named).describe('their properties, with names (empty for regional GMs and headquarters)'),
    region: named.nullable().describe('a regional GM’s region'),
    department: named.extend({ kind: z.string() }).nullable(),
    language: z.string().describe('zh-CN or en; empty when the directory names none'),
  })
  .describe('A staff member as the directory knows them.');

export const meView = z.object({
  kind: z.enum(['staff', 'partner']).describe('a signed-in staff member, or a partner’s API key'),
  groupId: z.string(),
  staff: meStaffView
    .nullable()
    .describe('the signed-in staff member; for an API key, the staff member named by `actingAs` (else null)'),
  apiKey: z
    .object({
      id: z.string(),
      name: z.string(),
      properties: z.array(named).nullable().describe('the properties it is limited to; null: the whole group'),
      admin: z.boolean(),
    })
    .nullable()
    .describe('the API key, for partners'),
  allowed: z
    .array(z.enum(ACTIONS))
    .describe('what the access policy allows the caller on the group as a whole (manage_master_data, export …)'),
  scopeProperties: z
    .array(named.extend({ regionId: z.string() }))
    .describe('every property of the group the caller sees (their scope): where they register and look'),
  reportScopes: z
    .array(z.object({ scope: z.string().describe('group, region:<id> or property:<id>'), name: z.string() }))
    .describe('the scopes the caller may read reports of (`scope` of /v1/reports), widest first'),
});
export type MeView = z.infer<typeof meView>;
export type MeStaffView = z.infer<typeof meStaffView>;

export const meQuery = z.object({
  actingAs: z
    .string()
    .min(1)
    .optional()
    .describe('API keys: the staff member the key acts for (as lifecycle actions name it); described under `staff`'),
});
