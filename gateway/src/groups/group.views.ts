import { z } from 'zod';
import { GROUP_STATUSES, type GroupRecord } from './group.schema';

/** Group ids appear in every service's records, subjects and URLs: plain and short. */
const groupId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    'lower-case letters, digits and dashes, 2–63 characters, not starting with a dash',
  );

export const identityProviderBody = z.strictObject({
  issuerUrl: z
    .url()
    .describe('The OpenID Connect issuer (its `iss`); discovery at `/.well-known/openid-configuration`.'),
  audience: z.string().trim().min(1).max(300).default('urn:complaints:api').describe('The `aud` of its access tokens.'),
  staffClaim: z.string().trim().min(1).max(100).default('sub').describe('The claim holding the staff id.'),
  groupClaim: z
    .string()
    .trim()
    .max(100)
    .default('')
    .describe(
      'When several groups sign in at one issuer: the claim whose value must equal the group id. Required for every group sharing an issuer.',
    ),
  consoleClientId: z.string().trim().min(1).max(200).default('complaints-console'),
  consoleScope: z.string().trim().min(1).max(500).default('openid profile complaints'),
});

/** `POST /v1/platform/groups`. */
export const createGroupBody = z.strictObject({
  id: groupId.describe('The group id every record of the group carries; never reused, even after removal.'),
  name: z.string().trim().min(1).max(200),
  identityProvider: identityProviderBody
    .nullable()
    .default(null)
    .describe('null: API keys only, no staff sign-in yet.'),
  firstAdminKeyName: z.string().trim().min(1).max(200).default('first admin'),
});
export type CreateGroupBody = z.infer<typeof createGroupBody>;

/** `PATCH /v1/platform/groups/{id}`: only what is given changes. */
export const updateGroupBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    identityProvider: identityProviderBody.nullable().optional(),
  })
  .refine((body) => body.name !== undefined || body.identityProvider !== undefined, 'name or identityProvider');
export type UpdateGroupBody = z.infer<typeof updateGroupBody>;

const timestamp = z.iso.datetime();

export const groupView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(GROUP_STATUSES),
  identityProvider: identityProviderBody.required().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type GroupView = z.infer<typeof groupView>;

export const groupList = z.object({ items: z.array(groupView) });

export const createdGroupView = groupView.extend({
  adminKey: z
    .string()
    .describe('The group’s first admin API key. Shown once: hand it to the group’s administrator now.'),
});

export function toGroupView(record: GroupRecord): GroupView {
  return {
    id: record._id,
    name: record.name,
    status: record.status,
    identityProvider: record.identityProvider,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
