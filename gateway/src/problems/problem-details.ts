import { z } from 'zod';

/** RFC 9457 problem details: every error the gateway answers has this shape (`application/problem+json`). */
export const problemDetails = z.object({
  type: z.string().describe('Stable identifier of the kind of problem, e.g. `/problems/not-found`; branch on this.'),
  title: z.string().describe('Short summary of the kind, for people.'),
  status: z.int().describe('The HTTP status code, repeated.'),
  detail: z.string().optional().describe('What went wrong in this occurrence, for people.'),
  invalidParams: z
    .array(z.object({ name: z.string(), reason: z.string() }))
    .optional()
    .describe('For `/problems/validation-error`: each invalid field (dotted path) and what is wrong with it.'),
});

export type ProblemDetails = z.infer<typeof problemDetails>;
