import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { decide } from '../access/policy';
import { AuthenticateApiKey } from '../api-keys/use-cases/authenticate-api-key';
import { GatewayConfig } from '../config';
import { GroupsRepository } from '../groups/groups.repository';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../problems/errors';
import { FailedAuthentications } from '../rate-limits/failed-authentications';
import { ADMIN_ONLY, type AdminRule } from './admin-only.decorator';
import type { AuthenticatedRequest, Caller } from './caller';
import { presentedApiKey } from './presented-api-key';
import { IS_PUBLIC } from './public.decorator';
import { StaffToken } from './staff-token';

/** A JWT is three base64url parts; an API key starts with ck_ and has no dots. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Global: every route needs a caller unless it is @Public(): a partner's API key or a staff
 * member's access token (bearer JWT), told apart by shape. @AdminOnly() routes ask the access
 * policy for their action on the group, except that a per-property route lets an admin key
 * limited to properties through to judge the property it touches.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failures: FailedAuthentications;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
    private readonly staffToken: StaffToken,
    private readonly groups: GroupsRepository,
    config: GatewayConfig,
  ) {
    this.failures = new FailedAuthentications(config.limits.failedAuthenticationsPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const address = request.ip ?? '';
    const retryAfter = this.failures.retryAfterSeconds(address);
    if (retryAfter > 0) {
      throw new RateLimitedError(retryAfter, 'too many requests with a wrong or missing credential from this address');
    }
    const credential = presentedApiKey(request.headers);
    const staffToken = credential !== undefined && !credential.startsWith('ck_') && JWT_SHAPE.test(credential);
    let caller: Caller;
    try {
      if (!credential)
        throw new UnauthenticatedError(
          'an API key or a staff access token is required: send Authorization: Bearer <key or token> or X-API-Key: <key>',
        );
      caller = staffToken
        ? await this.staffToken.authenticate(credential)
        : await this.authenticate.execute(credential);
    } catch (error) {
      // Guessing means API keys (or none); a staff token is signed and cannot be guessed, and the
      // staff of one office share an address, so their expired tokens are not counted.
      if (error instanceof UnauthenticatedError && !staffToken) this.failures.record(address);
      throw error;
    }
    // A group without a record predates groups as data (its keys were made before): it is active.
    const group = await this.groups.forRequest(caller.groupId);
    if (group && group.status !== 'active')
      throw new ForbiddenError(`group ${caller.groupId} is ${group.status}: ask the platform operator`);
    const admin = this.reflector.getAllAndOverride<AdminRule | undefined>(ADMIN_ONLY, targets);
    // A route of one property's things judges an admin key limited to properties itself.
    const judgedByRoute =
      admin?.perProperty && caller.kind === 'partner' && caller.admin && caller.propertyIds !== null;
    if (admin && !judgedByRoute) {
      const decision = decide(caller, admin.action, { kind: 'group' });
      if (decision.outcome !== 'allowed') {
        throw new ForbiddenError(decision.outcome === 'denied' ? decision.reason : 'this needs an admin API key');
      }
    }
    request.caller = caller;
    return true;
  }
}
