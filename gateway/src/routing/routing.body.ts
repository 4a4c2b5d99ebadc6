import { z } from 'zod';
import { CATEGORIES, LIABILITIES, SEVERITIES } from '@complaints/domain';

const reason = z.string().trim().min(1).max(2000).describe('why: recorded on the timeline');

/** Staff override of routing's decision (SPEC §3); omitted fields stay as they are. */
export const reclassifyBody = z.strictObject({
  reason,
  category: z.enum(CATEGORIES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  department: z
    .string()
    .regex(/^[a-z0-9_-]{1,64}$/, 'a department kind such as engineering')
    .optional(),
  liability: z.enum(LIABILITIES).optional(),
});
export type ReclassifyBody = z.infer<typeof reclassifyBody>;

export const reassignBody = z.strictObject({ handlerId: z.string().trim().min(1).max(64), reason });
export type ReassignBody = z.infer<typeof reassignBody>;

export const mergeBody = z.strictObject({
  into: z.string().trim().min(1).max(64).describe('id of the open complaint it is handled in from now on'),
  reason,
});
export type MergeBody = z.infer<typeof mergeBody>;

export const unmergeBody = z.strictObject({ reason });
export type UnmergeBody = z.infer<typeof unmergeBody>;

/**
 * A group's routing settings: `rules` (keyword, channel, category, loss-amount, repeat and
 * collective rules) and `departments` (department kind by category, per property). Routing
 * validates the content and names what is wrong; GET shows the current (or default) settings.
 */
export const routingSettingsBody = z.strictObject({
  rules: z.record(z.string(), z.unknown()),
  departments: z.record(z.string(), z.unknown()),
});

export const decisionView = z.object({
  category: z.string(),
  severity: z.string(),
  department: z.string(),
  departmentId: z.string(),
  handler: z.object({ id: z.string(), name: z.string() }).nullable(),
  propertyHead: z.object({ id: z.string(), name: z.string() }).nullable(),
  liability: z.string().nullable(),
  reasons: z.array(z.string()).describe('the rules that fired, in order, then any overrides'),
  mergedInto: z
    .object({ id: z.string(), number: z.string() })
    .nullable()
    .describe('the duplicate or collective case it is handled in; null when on its own'),
});
