import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { Metadata, status } from '@grpc/grpc-js';
import { throwError, type Observable } from 'rxjs';

export type DomainErrorCode =
  'not_found' | 'invalid_argument' | 'conflict' | 'failed_precondition' | 'permission_denied';

/** Thrown by use cases; each transport maps the code (gRPC status, HTTP problem). */
export class DomainError extends Error {
  /** `invalidParams`: field (dotted path) → what is wrong, for `invalid_argument`. */
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly invalidParams: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/** gRPC trailer carrying a DomainError's invalid fields to the gateway (JSON object). */
export const INVALID_PARAMS_METADATA = 'invalid-params';

/** Builds an invalid-argument error from zod issues, naming each field. */
export function invalidArgument(
  what: string,
  issues: { path: PropertyKey[]; message: string }[],
  prefix = '',
): DomainError {
  const invalidParams: Record<string, string> = {};
  for (const issue of issues) {
    const name = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)';
    invalidParams[name] ??= issue.message;
  }
  return new DomainError(
    'invalid_argument',
    `invalid ${what}: ${Object.entries(invalidParams)
      .map(([field, problem]) => `${field} ${problem}`)
      .join('; ')}`,
    invalidParams,
  );
}

export const GRPC_STATUS_BY_CODE: Record<DomainErrorCode, status> = {
  not_found: status.NOT_FOUND,
  invalid_argument: status.INVALID_ARGUMENT,
  conflict: status.ALREADY_EXISTS,
  failed_precondition: status.FAILED_PRECONDITION,
  permission_denied: status.PERMISSION_DENIED,
};

/**
 * JSON with every character outside printable ASCII escaped (`\u4e2d`): a metadata value holds
 * printable ASCII only, and a reason quoting what the caller sent (Chinese, a control character)
 * would otherwise make the whole answer an internal error. JSON.parse reads it back unchanged.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

@Catch(DomainError)
export class GrpcDomainErrorFilter implements RpcExceptionFilter<DomainError> {
  catch(error: DomainError, _host: ArgumentsHost): Observable<never> {
    const metadata = new Metadata();
    if (Object.keys(error.invalidParams).length > 0) {
      metadata.set(INVALID_PARAMS_METADATA, asciiJson(error.invalidParams));
    }
    return throwError(() => ({ code: GRPC_STATUS_BY_CODE[error.code], message: error.message, metadata }));
  }
}

/** A JSON document carried in a string field of a gRPC request; not JSON is the caller's error. */
export function parseJsonField(value: string, field: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new DomainError('invalid_argument', `${field} is not JSON`, { [field]: 'not JSON' });
  }
}
