import { z } from 'zod';
import { actsFor } from '../access/acting-for-staff';
import type { ApiKeyRecord } from './api-key.schema';

const propertyId = z.string().trim().min(1).max(100);

/** `POST /v1/admin/api-keys`. */
export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200).describe('What the key is for, e.g. "call centre hotline".'),
  propertyIds: z
    .array(propertyId)
    .min(1)
    .max(10_000)
    .nullable()
    .optional()
    .describe('The properties the key is limited to; absent or null: every property of the group.'),
  admin: z
    .boolean()
    .default(false)
    .describe(
      'Whether the key administers what it sees: with propertyIds, those properties (their policies, departments, staff and keys); without, the whole group.',
    ),
  actsFor: actsFor
    .nullable()
    .optional()
    .describe(
      'Which staff the key may act for (lifecycle actions name a staffId). Absent or null: an admin key acts for everyone it sees, another key for nobody.',
    ),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

const timestamp = z.iso.datetime();

/** An API key as admins see it: never its secret. */
export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  groupId: z.string(),
  propertyIds: z.array(z.string()).nullable().describe('null: every property of the group.'),
  admin: z.boolean(),
  actsFor: actsFor.nullable(),
  createdAt: timestamp,
  createdBy: z.string().describe("The key that made it, or `staff:<id>`; '' when not recorded."),
  lastUsedAt: timestamp.nullable().describe('Updated at most once a minute.'),
  revokedAt: timestamp.nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

export const apiKeyList = z.object({ items: z.array(apiKeyView) });

/** The answer to creating a key: the only time the key itself is shown. */
export const createdApiKeyView = apiKeyView.extend({
  secret: z
    .string()
    .describe('The API key itself, `ck_<id>_<random>`. Shown once: store it now, it cannot be shown again.'),
});
export type CreatedApiKeyView = z.infer<typeof createdApiKeyView>;

export function toApiKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record._id,
    name: record.name,
    groupId: record.groupId,
    propertyIds: record.propertyIds ?? null,
    admin: record.admin,
    actsFor: record.actsFor ?? null,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy ?? '',
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}
