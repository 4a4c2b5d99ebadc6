import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Response } from 'express';

/** RFC 9457 problem details: every error the gateway answers has this shape. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** For 400s: each invalid field (dotted path) and what is wrong with it. */
  invalidParams?: { name: string; reason: string }[];
}

export class ValidationProblem extends Error {
  constructor(readonly invalidParams: { name: string; reason: string }[]) {
    super(`invalid request: ${invalidParams.map((param) => param.name).join(', ')}`);
  }
}

const HTTP_BY_GRPC: Partial<Record<number, { status: number; title: string }>> = {
  [GrpcStatus.INVALID_ARGUMENT]: { status: 400, title: 'Invalid request' },
  [GrpcStatus.NOT_FOUND]: { status: 404, title: 'Not found' },
  [GrpcStatus.ALREADY_EXISTS]: { status: 409, title: 'Conflict' },
  [GrpcStatus.FAILED_PRECONDITION]: { status: 409, title: 'Conflict' },
  [GrpcStatus.UNAVAILABLE]: { status: 503, title: 'Service unavailable' },
  [GrpcStatus.DEADLINE_EXCEEDED]: { status: 504, title: 'Upstream timeout' },
};

function isGrpcError(error: unknown): error is { code: number; details?: string; message: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'number' &&
    'message' in error
  );
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(error);
    if (problem.status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown): ProblemDetails {
    if (error instanceof ValidationProblem) {
      return {
        type: '/problems/validation-error',
        title: 'Invalid request',
        status: 400,
        detail: error.message,
        invalidParams: error.invalidParams,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return { type: 'about:blank', title: error.message, status, detail: error.message };
    }
    if (isGrpcError(error)) {
      const mapped = HTTP_BY_GRPC[error.code];
      if (mapped)
        return {
          type: 'about:blank',
          title: mapped.title,
          status: mapped.status,
          detail: error.details ?? error.message,
        };
    }
    return { type: 'about:blank', title: 'Internal error', status: 500 };
  }
}
