import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling: the partner API key that authenticated this request, and what it may see. */
export interface Caller {
  keyId: string;
  keyName: string;
  /** Every request acts for exactly this group (SPEC §1: partners see only their group's data). */
  groupId: string;
  /** The properties the key is limited to; null means every property of the group. */
  propertyIds: string[] | null;
  /** May manage the API keys of its group. */
  admin: boolean;
}

/** Partners act through their API key: the timeline names the key. */
export function partnerActor(caller: Pick<Caller, 'keyId' | 'keyName'>): { kind: 'partner'; id: string; name: string } {
  return { kind: 'partner', id: caller.keyId, name: caller.keyName };
}

/** Whether a property is within what the caller may see or act on. */
export function inScope(caller: Pick<Caller, 'propertyIds'>, propertyId: string): boolean {
  return caller.propertyIds === null || caller.propertyIds.includes(propertyId);
}

/** The request once the ApiKeyGuard has authenticated it. */
export interface AuthenticatedRequest extends Request {
  caller?: Caller;
}

/** Injects the authenticated Caller into a controller method: `@Caller() caller: Caller`. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  // Only a @Public() route has no caller, and asking for one there is a programming error.
  if (!caller) throw new Error('@Caller() used on a route without authentication');
  return caller;
});
