import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { callerId, type AuthenticatedRequest } from '../auth/caller';
import { RateLimitedError } from '../problems/errors';

/**
 * One budget per API key (or signed-in staff member) across all routes (the ApiKeyGuard runs first);
 * requests without a key, on public routes, are counted by client address. The counts are shared
 * by every gateway replica (SharedRateCounter).
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: AuthenticatedRequest): Promise<string> {
    return request.caller ? `key:${callerId(request.caller)}` : `ip:${await super.getTracker(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(Math.max(1, detail.timeToBlockExpire));
  }
}
