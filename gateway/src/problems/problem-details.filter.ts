import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toProblem } from './to-problem';

/** Answers every error as RFC 9457 problem details; the mapping itself lives in `toProblem`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { problem, headers, log } = toProblem(error);
    if (log === 'error') this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (log === 'warn')
      this.logger.warn(`${problem.status}: ${error instanceof Error ? error.message : String(error)}`);
    if (response.headersSent) return;
    response.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify(problem));
  }
}
