import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiProblems } from '../openapi/problem-responses';

export const ADMIN_ONLY = 'complaints:admin-only';

/** Only admin keys may call this (managing the group's keys); other keys get 403. */
export const AdminOnly = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiProblems('forbidden'));
