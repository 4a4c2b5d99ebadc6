/**
 * The stable `type` of every problem the gateway answers (RFC 9457). Partners branch on
 * `type`, never on `title` or `detail` (those are for people and may change wording), so a
 * type, once published, keeps its meaning and its status code. The OpenAPI document lists
 * this table, and each response documents the types it can carry.
 */
export const PROBLEM_TYPES = {
  'validation-error': {
    status: 400,
    title: 'Invalid request',
    description: 'The body or a parameter breaks the contract; `invalidParams` names each field and what is wrong.',
  },
  'malformed-body': {
    status: 400,
    title: 'Malformed body',
    description: 'The body is not parseable JSON.',
  },
  unauthenticated: {
    status: 401,
    title: 'Unauthenticated',
    description:
      'No API key, or the key is unknown or revoked. Send `Authorization: Bearer <key>` or `X-API-Key: <key>`.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description:
      'The API key is valid but may not do this (managing keys needs an admin key), or the staff member named ' +
      'may not (approving an important complaint’s extension needs a property head).',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    description: 'Nothing with this id exists within the API key’s group and properties.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description: 'The request contradicts the current state (already exists, or not allowed in this state).',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    description: 'The body is larger than the gateway accepts.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    description: 'The body’s encoding or charset is not supported; send UTF-8 JSON.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    description: 'The API key used up its requests for the current minute; `Retry-After` says when to try again.',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'Something failed on our side; it is logged. Retrying later may help.',
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
    description: 'A service behind the gateway cannot be reached right now; retry after `Retry-After` seconds.',
  },
  'upstream-timeout': {
    status: 504,
    title: 'Upstream timeout',
    description:
      'A service behind the gateway did not answer in time; retry after `Retry-After` seconds (a retried POST ' +
      'should carry the same `Idempotency-Key`).',
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** The `type` URI of a kind: relative, so it resolves against whichever host serves the API. */
export function problemType(kind: ProblemKind): `/problems/${ProblemKind}` {
  return `/problems/${kind}`;
}

/** How long a client should wait before retrying when a service behind the gateway is down or slow. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 5;
