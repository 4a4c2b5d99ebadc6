import { SetMetadata } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import type { AuditSubject } from './audit-entry.schema';

export const AUDITED = 'complaints:audited';

type Params = Record<string, string>;

/** What the interceptor runs: the subject as it is now, read on the route's own controller. */
export interface AuditRule {
  subject: AuditSubject;
  read?: (controller: never, caller: Caller | undefined, params: Params) => Promise<unknown>;
}

/**
 * Records every call of the route in the group's audit (AuditInterceptor): who, when, the
 * subject before and after. On every route that changes administration (settings, policies,
 * calendars, rules, templates, the directory, keys). `read` says how the subject reads now
 * (usually the route's GET), called before the change and again after it; without it the route
 * makes something new, and its answer is the state after.
 */
export function Audited<C>(
  subject: AuditSubject,
  read?: (controller: C, caller: Caller, params: Params) => Promise<unknown>,
): MethodDecorator {
  const rule: AuditRule = {
    subject,
    read:
      read && ((controller: C, caller, params) => (caller ? read(controller, caller, params) : Promise.resolve(null))),
  };
  return SetMetadata(AUDITED, rule);
}

/** The same for the platform operator's routes on a group (`:id`), which have no group caller. */
export function AuditedGroupChange<C>(read?: (controller: C, params: Params) => Promise<unknown>): MethodDecorator {
  const rule: AuditRule = {
    subject: 'group',
    read: read && ((controller: C, _caller, params) => read(controller, params)),
  };
  return SetMetadata(AUDITED, rule);
}
