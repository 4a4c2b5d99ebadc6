import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ActsFor } from '../access/acting-for-staff';
import type { PartnerPrincipal, StaffPrincipal } from '../access/policy';

/** A partner system calling with its API key. */
export interface PartnerCaller extends PartnerPrincipal {
  keyName: string;
  /** Which staff it may act for, as made (access/acting-for-staff.ts). */
  actsFor: ActsFor | null;
}

/** A staff member signed in at the group's identity provider, as the directory knows them. */
export interface StaffCaller extends StaffPrincipal {
  name: string;
}

/**
 * Who is calling and what they may see: every request acts for exactly one group (SPEC §1).
 * It is also the principal `decide` (access/policy.ts) judges.
 */
export type Caller = PartnerCaller | StaffCaller;

/** Who the timeline and events name for what the caller did: the key, or the staff member. */
export function callerActor(caller: Caller): { kind: 'partner' | 'staff'; id: string; name: string } {
  return caller.kind === 'partner'
    ? { kind: 'partner', id: caller.keyId, name: caller.keyName }
    : { kind: 'staff', id: caller.staffId, name: caller.name };
}

/** One id per caller, for rate limits and idempotency keys: keys and staff never share one. */
export function callerId(caller: Caller): string {
  return caller.kind === 'partner' ? caller.keyId : `staff:${caller.staffId}`;
}

/** The request once the guard has authenticated it. */
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
