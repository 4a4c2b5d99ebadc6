import type { NextFunction, Request, Response } from 'express';
import { metrics } from '@complaints/service-kit';
import { GatewayError } from '../problems/errors';
import { toProblem } from '../problems/to-problem';

/** Intake has as much work as it can finish within the deadline: come back in a moment. */
export class OverloadedError extends GatewayError {
  readonly kind = 'service-unavailable';
  constructor(private readonly retryAfterSeconds: number) {
    super(
      'too many registrations are being handled right now; nothing was registered, retry after Retry-After seconds',
    );
    this.name = 'OverloadedError';
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/**
 * Admission control for registrations, the first thing a request meets. When the platform falls
 * behind, registrations pile up and each waits longer; past the gRPC deadline the partner would
 * get a 504 while the registration still lands. Once `maxInFlight` registrations are under way
 * (from their first byte to their answer), the next is answered 503 with Retry-After at once,
 * before its key is checked or its body read: it registered nothing, so the partner's retry is
 * never a second complaint, and refusing costs almost nothing, so the ones admitted still finish
 * in time. By Little's law the bound is also a latency bound: `maxInFlight` ÷ the rate achieved.
 */
export function registrationAdmission(options: { maxInFlight: number; retryAfterSeconds: number }) {
  let inFlight = 0;
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'POST' || request.path !== '/v1/complaints') return next();
    if (inFlight >= options.maxInFlight) {
      metrics.requestsShed.inc({ route: 'register' });
      const { problem, headers } = toProblem(new OverloadedError(options.retryAfterSeconds));
      // The body is left unread; Node discards it, so the connection stays usable.
      response.set(headers);
      response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    inFlight += 1;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    response.once('finish', release);
    response.once('close', release);
    next();
  };
}
