import { applyDecorators } from '@nestjs/common';
import {
  ApiResponse,
  type HeadersObject,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { problemDetails } from '../problems/problem-details';
import { PROBLEM_TYPES, problemType, UPSTREAM_RETRY_AFTER_SECONDS, type ProblemKind } from '../problems/problem-types';
import { zodSchemaRef } from './zod-schemas';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

function retryAfter(description: string): HeadersObject[string] {
  return { description, schema: { type: 'integer', minimum: 1 } };
}

const HEADERS_BY_KIND: Partial<Record<ProblemKind, HeadersObject>> = {
  unauthenticated: { 'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' } } },
  'rate-limited': { 'Retry-After': retryAfter('Seconds until the API key has requests again.') },
  'service-unavailable': {
    'Retry-After': retryAfter(`Seconds to wait before retrying (${UPSTREAM_RETRY_AFTER_SECONDS}).`),
  },
  'upstream-timeout': {
    'Retry-After': retryAfter(`Seconds to wait before retrying (${UPSTREAM_RETRY_AFTER_SECONDS}).`),
  },
};

/** One response per status; each problem type it may carry is described and given as an example. */
function problemResponse(kinds: ProblemKind[]): ResponseObject {
  const headers = Object.assign({}, ...kinds.map((kind) => HEADERS_BY_KIND[kind] ?? {})) as HeadersObject;
  return {
    description: kinds.map((kind) => `\`${problemType(kind)}\`: ${PROBLEM_TYPES[kind].description}`).join('\n\n'),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: {
      [PROBLEM_MEDIA_TYPE]: {
        schema: zodSchemaRef('ProblemDetails', problemDetails, 'output'),
        examples: Object.fromEntries(
          kinds.map((kind) => {
            const { status, title } = PROBLEM_TYPES[kind];
            return [kind, { value: { type: problemType(kind), title, status } }];
          }),
        ),
      },
    },
  };
}

function byStatus(kinds: ProblemKind[]): Map<number, ProblemKind[]> {
  const groups = new Map<number, ProblemKind[]>();
  for (const kind of kinds) {
    const status = PROBLEM_TYPES[kind].status;
    groups.set(status, [...(groups.get(status) ?? []), kind]);
  }
  return groups;
}

/**
 * Documents the problems an operation answers beyond the ones every operation can answer
 * (those are added to the whole document by `withStandardProblems`).
 */
export const ApiProblems = (...kinds: ProblemKind[]): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ...[...byStatus(kinds)].map(([status, group]) => {
      const { description, ...response } = problemResponse(group);
      return ApiResponse({ status, description, ...response });
    }),
  );

/** Whether the operation answers without an API key (its security is OpenAPI's anonymous requirement). */
function isAnonymous(operation: OperationObject): boolean {
  return (
    Array.isArray(operation.security) &&
    operation.security.every((requirement) => Object.keys(requirement).length === 0)
  );
}

function problemKindsOf(response: ResponseObject | undefined): ProblemKind[] | undefined {
  const examples = response?.content?.[PROBLEM_MEDIA_TYPE]?.examples;
  return examples ? (Object.keys(examples).filter((kind) => kind in PROBLEM_TYPES) as ProblemKind[]) : undefined;
}

function addProblems(operation: OperationObject, kinds: ProblemKind[]): void {
  for (const [status, group] of byStatus(kinds)) {
    const existing = operation.responses[status] as ResponseObject | undefined;
    const declared = problemKindsOf(existing);
    if (existing && !declared) continue;
    operation.responses[status] = problemResponse([...new Set([...(declared ?? []), ...group])]);
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Adds what every operation can answer, so a new endpoint is documented completely without
 * repeating it: authentication and rate limits (unless public), body problems when it takes a
 * body, invalid parameters when it has any, not found when its path has a parameter, and the
 * 5xx answers with their `Retry-After`.
 */
export function withStandardProblems(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation) continue;
      const kinds: ProblemKind[] = ['internal'];
      if (isAnonymous(operation)) {
        // `security: []` is the plain way to say "no API key" (an empty requirement means the same).
        operation.security = [];
      } else {
        kinds.push('unauthenticated', 'rate-limited', 'service-unavailable', 'upstream-timeout');
      }
      if (operation.requestBody)
        kinds.push('validation-error', 'malformed-body', 'payload-too-large', 'unsupported-media-type');
      const parameters = (operation.parameters ?? []).filter((parameter) => 'in' in parameter);
      // Query parameters are validated (ApiZodQuery), and no parameter may hold U+0000 (NoNulCharacters).
      if (parameters.some((parameter) => parameter.in === 'query' || parameter.in === 'path'))
        kinds.push('validation-error');
      // A path with an empty segment (`/v1/complaints//timeline`) names no route: 404 like an unknown id.
      if (parameters.some((parameter) => parameter.in === 'path')) kinds.push('not-found');
      addProblems(operation, kinds);
    }
  }
  return document;
}

/** The table of problem types, for the document's description. */
export function problemTypesMarkdown(): string {
  const rows = (Object.keys(PROBLEM_TYPES) as ProblemKind[]).map((kind) => {
    const { status, description } = PROBLEM_TYPES[kind];
    return `| \`${problemType(kind)}\` | ${status} | ${description} |`;
  });
  return ['| type | status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
