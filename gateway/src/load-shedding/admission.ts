import { Injectable } from '@nestjs/common';
import { metrics } from '@complaints/service-kit';
import { GatewayConfig } from '../config';
import { GatewayError } from '../problems/errors';

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
 * Admission control for registrations. When intake falls behind, calls pile up and each waits
 * longer; past the gRPC deadline the partner would get a 504 while the registration still lands.
 * Refusing the call before it is sent, once `maxInFlight` are already under way, answers at once
 * with a 503 that registered nothing, so the partner's retry is never a second complaint and the
 * ones admitted still finish in time. By Little's law the bound is also a latency bound:
 * `maxInFlight` ÷ intake's rate.
 */
@Injectable()
export class RegistrationAdmission {
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly retryAfterSeconds: number;

  constructor(config: GatewayConfig) {
    this.maxInFlight = config.limits.registrationsInFlight;
    this.retryAfterSeconds = config.limits.overloadRetryAfterSeconds;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.maxInFlight) {
      metrics.requestsShed.inc({ route: 'register' });
      throw new OverloadedError(this.retryAfterSeconds);
    }
    this.inFlight += 1;
    try {
      return await call();
    } finally {
      this.inFlight -= 1;
    }
  }
}
