import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Action } from '../access/policy';
import { ApiProblems } from '../openapi/problem-responses';

export const ADMIN_ONLY = 'complaints:admin-only';

export interface AdminRule {
  action: Action;
  /**
   * The route administers one property's things (its policy, departments, staff, or keys limited
   * to properties): an admin key limited to properties passes the guard, and the route itself
   * asks the policy about the property it touches. Otherwise the action is on the whole group.
   */
  perProperty: boolean;
}

/**
 * Administration: the guard asks the access policy whether the caller may do `action` on the
 * group (admin keys of the whole group; group headquarters); others get 403.
 */
export const AdminOnly = (
  action: Action = 'manage_policies',
  options: { perProperty?: boolean } = {},
): ClassDecorator & MethodDecorator =>
  applyDecorators(
    SetMetadata(ADMIN_ONLY, { action, perProperty: options.perProperty ?? false } satisfies AdminRule),
    ApiProblems('forbidden'),
  );
