import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Action } from '../access/policy';
import { ApiProblems } from '../openapi/problem-responses';

export const ADMIN_ONLY = 'complaints:admin-only';

/**
 * Group-wide administration: the guard asks the access policy whether the caller may do
 * `action` on the group (admin keys; group headquarters); others get 403.
 */
export const AdminOnly = (action: Action = 'manage_policies'): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(ADMIN_ONLY, action), ApiProblems('forbidden'));
