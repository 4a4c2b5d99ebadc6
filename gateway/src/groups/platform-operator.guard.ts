import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { presentedApiKey } from '../auth/presented-api-key';
import { GatewayConfig } from '../config';
import { RateLimitedError, UnauthenticatedError } from '../problems/errors';
import { FailedAuthentications } from '../rate-limits/failed-authentications';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The platform API (`/v1/platform/…`) answers the operator's credential alone: a group's keys and
 * staff tokens never open it, and the operator's credential opens nothing of any group's. Wrong
 * credentials are counted per address like everywhere else.
 */
@Injectable()
export class PlatformOperatorGuard implements CanActivate {
  private readonly failures: FailedAuthentications;
  private readonly digests: Buffer[];

  constructor(config: GatewayConfig) {
    this.failures = new FailedAuthentications(config.limits.failedAuthenticationsPerMinute);
    this.digests = config.operatorKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const address = request.ip ?? '';
    const retryAfter = this.failures.retryAfterSeconds(address);
    if (retryAfter > 0) throw new RateLimitedError(retryAfter, 'too many requests with a wrong credential');
    const presented = presentedApiKey(request.headers);
    const candidate = presented === undefined ? undefined : digest(presented);
    if (!candidate || !this.digests.some((known) => timingSafeEqual(known, candidate))) {
      this.failures.record(address);
      throw new UnauthenticatedError(
        this.digests.length === 0
          ? 'the platform API is closed here: no PLATFORM_OPERATOR_KEYS are configured'
          : 'the platform API needs the operator credential (PLATFORM_OPERATOR_KEYS)',
      );
    }
    return true;
  }
}
