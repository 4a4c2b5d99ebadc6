import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ValidationProblem } from './errors';

/** Validates a request body with a zod schema; a 400 names every invalid field. */
export class ZodBody<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new ValidationProblem(
      result.error.issues.map((issue) => ({
        name: issue.path.join('.') || '(body)',
        reason: issue.message,
      })),
    );
  }
}
