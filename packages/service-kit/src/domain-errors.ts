import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { throwError, type Observable } from 'rxjs';

export type DomainErrorCode = 'not_found' | 'invalid_argument' | 'conflict' | 'failed_precondition';

/** Thrown by use cases; each transport maps the code (gRPC status, HTTP problem). */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
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

export const GRPC_STATUS_BY_CODE: Record<DomainErrorCode, status> = {
  not_found: status.NOT_FOUND,
  invalid_argument: status.INVALID_ARGUMENT,
  conflict: status.ALREADY_EXISTS,
  failed_precondition: status.FAILED_PRECONDITION,
};

@Catch(DomainError)
export class GrpcDomainErrorFilter implements RpcExceptionFilter<DomainError> {
  catch(error: DomainError, _host: ArgumentsHost): Observable<never> {
    return throwError(() => ({ code: GRPC_STATUS_BY_CODE[error.code], message: error.message }));
  }
}
