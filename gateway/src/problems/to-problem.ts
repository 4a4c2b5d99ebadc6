import { HttpException } from '@nestjs/common';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, INVALID_PARAMS_METADATA, type DomainErrorCode } from '@complaints/service-kit';
import { GatewayError, type InvalidParam } from './errors';
import type { ProblemDetails } from './problem-details';
import { PROBLEM_TYPES, problemType, UPSTREAM_RETRY_AFTER_SECONDS, type ProblemKind } from './problem-types';

/** What the filter writes: the body, extra headers, and how loudly to log the cause. */
export interface ProblemAnswer {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** `error`: our fault, log the stack; `warn`: a dependency is down or slow; `none`: the client's doing. */
  log: 'error' | 'warn' | 'none';
}

function answer(
  kind: ProblemKind,
  detail: string | undefined,
  extra: Partial<Pick<ProblemDetails, 'invalidParams'>> & { headers?: Record<string, string> } = {},
): ProblemAnswer {
  const { status, title } = PROBLEM_TYPES[kind];
  const problem: ProblemDetails = { type: problemType(kind), title, status };
  if (detail) problem.detail = detail;
  if (extra.invalidParams) problem.invalidParams = extra.invalidParams;
  return { problem, headers: extra.headers ?? {}, log: status >= 500 ? (status === 500 ? 'error' : 'warn') : 'none' };
}

const RETRY_LATER = { 'Retry-After': String(UPSTREAM_RETRY_AFTER_SECONDS) };

const KIND_BY_DOMAIN_CODE: Record<DomainErrorCode, ProblemKind> = {
  not_found: 'not-found',
  invalid_argument: 'validation-error',
  conflict: 'conflict',
  failed_precondition: 'conflict',
  permission_denied: 'forbidden',
};

const KIND_BY_GRPC_STATUS: Partial<Record<number, ProblemKind>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 'validation-error',
  [GrpcStatus.NOT_FOUND]: 'not-found',
  [GrpcStatus.ALREADY_EXISTS]: 'conflict',
  [GrpcStatus.FAILED_PRECONDITION]: 'conflict',
  [GrpcStatus.PERMISSION_DENIED]: 'forbidden',
  [GrpcStatus.UNAVAILABLE]: 'service-unavailable',
  [GrpcStatus.RESOURCE_EXHAUSTED]: 'service-unavailable',
  [GrpcStatus.DEADLINE_EXCEEDED]: 'upstream-timeout',
};

/** Nest's own exceptions (unknown route, a built-in pipe) by status; anything else is `about:blank`. */
const KIND_BY_HTTP_STATUS: Partial<Record<number, ProblemKind>> = {
  400: 'validation-error',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

/** The MongoDB driver's errors for "cannot reach the database" (the gateway's keys live there). */
const MONGO_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
]);

interface GrpcError {
  code: number;
  details?: string;
  metadata?: unknown;
}

export function isGrpcError(error: unknown): error is GrpcError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'number' &&
    'details' in error &&
    typeof error.details === 'string'
  );
}

/** Intake names each invalid field in a trailer (JSON object field → reason); absent for other services. */
function invalidParamsOf(error: GrpcError): InvalidParam[] | undefined {
  if (!(error.metadata instanceof Metadata)) return undefined;
  const [raw] = error.metadata.get(INVALID_PARAMS_METADATA);
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    return Object.entries(parsed).map(([name, reason]) => ({ name, reason: String(reason) }));
  } catch {
    return undefined;
  }
}

/**
 * Maps anything thrown while handling a request to its problem. Details of 5xx answers are
 * fixed texts: what a dependency said (addresses, stack traces) goes to the log, not to partners.
 */
export function toProblem(error: unknown): ProblemAnswer {
  if (error instanceof GatewayError) {
    return answer(error.kind, error.message, { headers: error.headers(), invalidParams: error.invalidParams });
  }
  if (error instanceof DomainError) return answer(KIND_BY_DOMAIN_CODE[error.code], error.message);

  if (error instanceof HttpException) {
    const status = error.getStatus();
    const kind = KIND_BY_HTTP_STATUS[status];
    if (kind) return answer(kind, error.message);
    if (status >= 500) return answer('internal', undefined);
    return { problem: { type: 'about:blank', title: error.message, status }, headers: {}, log: 'none' };
  }

  if (isGrpcError(error)) {
    const kind = KIND_BY_GRPC_STATUS[error.code] ?? 'internal';
    switch (kind) {
      case 'service-unavailable':
        return answer(kind, 'a service behind the gateway cannot be reached', { headers: RETRY_LATER });
      case 'upstream-timeout':
        return answer(kind, 'a service behind the gateway did not answer in time', { headers: RETRY_LATER });
      case 'internal':
        return answer(kind, undefined);
      case 'validation-error':
        return answer(kind, error.details, { invalidParams: invalidParamsOf(error) ?? [] });
      default:
        return answer(kind, error.details);
    }
  }

  if (error instanceof Error && MONGO_UNREACHABLE.has(error.name))
    return answer('service-unavailable', 'the gateway’s database cannot be reached', { headers: RETRY_LATER });

  return answer('internal', undefined);
}
