import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticateApiKey } from '../api-keys/use-cases/authenticate-api-key';
import { ForbiddenError, UnauthenticatedError } from '../problems/errors';
import { ADMIN_ONLY } from './admin-only.decorator';
import type { AuthenticatedRequest } from './caller';
import { presentedApiKey } from './presented-api-key';
import { IS_PUBLIC } from './public.decorator';

/** Global: every route needs a valid API key unless it is @Public(); @AdminOnly() routes need an admin key. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticate: AuthenticateApiKey,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const apiKey = presentedApiKey(request.headers);
    if (!apiKey)
      throw new UnauthenticatedError('an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>');
    const caller = await this.authenticate.execute(apiKey);
    if (this.reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY, targets) && !caller.admin)
      throw new ForbiddenError('this needs an admin API key');
    request.caller = caller;
    return true;
  }
}
