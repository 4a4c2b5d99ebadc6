import { z } from 'zod';
import { category, channel, complainantType, language, severity } from '@complaints/domain';

/** `POST /v1/complaints` (SPEC §2). Unknown fields are refused so typos do not vanish silently. */
export const registerComplaintBody = z.strictObject({
  propertyId: z.string().trim().min(1),
  channel,
  /** When the complainant reached us; defaults to now. Deadlines count from here. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  complainant: z.strictObject({
    name: z.string().trim().min(1),
    contact: z.string().trim().min(1),
    type: complainantType,
    unit: z.string().default(''),
    anchorTenant: z.boolean().default(false),
  }),
  location: z.string().default(''),
  description: z.string().trim().min(1),
  demand: z.string().default(''),
  language: language.default('zh-CN'),
  confidential: z.boolean().default(false),
  coComplainantCount: z.number().int().min(0).default(0),
  categoryHint: category.optional(),
  severityHint: severity.optional(),
});
export type RegisterComplaintBody = z.infer<typeof registerComplaintBody>;
