import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { decide, type Action } from '../access/policy';
import { AuthenticateApiKey } from '../api-keys/use-cases/authenticate-api-key';
import { ForbiddenError, UnauthenticatedError } from '../problems/errors';
import { ADMIN_ONLY } from './admin-only.decorator';
import type { AuthenticatedRequest, Caller } from './caller';
import { presentedApiKey } from './presented-api-key';
import { IS_PUBLIC } from './public.decorator';
import { StaffToken } from './staff-token';

/** A JWT is three base64url parts; an API key starts with ck_ and has no dots. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Global: every route needs a caller unless it is @Public(): a partner's API key or a staff
 * member's access token (bearer JWT), told apart by shape. @AdminOnly() routes ask the access
 * policy for their action on the group.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
    private readonly staffToken: StaffToken,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credential = presentedApiKey(request.headers);
    if (!credential)
      throw new UnauthenticatedError(
        'an API key or a staff access token is required: send Authorization: Bearer <key or token> or X-API-Key: <key>',
      );
    const caller: Caller =
      !credential.startsWith('ck_') && JWT_SHAPE.test(credential)
        ? await this.staffToken.authenticate(credential)
        : await this.authenticate.execute(credential);
    const adminAction = this.reflector.getAllAndOverride<Action | undefined>(ADMIN_ONLY, targets);
    if (adminAction) {
      const decision = decide(caller, adminAction, { kind: 'group' });
      if (decision.outcome !== 'allowed') {
        throw new ForbiddenError(decision.outcome === 'denied' ? decision.reason : 'this needs an admin API key');
      }
    }
    request.caller = caller;
    return true;
  }
}
