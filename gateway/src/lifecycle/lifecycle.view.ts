import { z } from 'zod';
import type { v1 } from '@complaints/contracts';

const staffRef = z.object({ id: z.string(), name: z.string() }).nullable();

/** A supervision from above (督办); see services/escalation/src/lifecycle/supervision.ts. */
const supervision = z.object({
  number: z.number().int(),
  by: staffRef.describe('the supervisor: a property head, regional GM or headquarters'),
  level: z.string().describe('the supervisor’s level: accepting or returning the answer needs it'),
  instructions: z.string(),
  dueAt: z.string().describe('RFC 3339: when the answer is due'),
  at: z.string(),
  status: z.enum(['open', 'answered', 'returned', 'accepted']),
  overdueAt: z.string().nullable().describe('RFC 3339: when the due time passed without an answer'),
  rounds: z
    .array(z.object({ kind: z.enum(['answer', 'return']), at: z.string(), by: staffRef, text: z.string() }))
    .describe('the handler’s answers and the supervisor’s returns, in order'),
  acceptedAt: z.string().nullable(),
  acceptedBy: staffRef,
});

const actingStaff = z.object({ id: z.string(), name: z.string(), level: z.string() });

/** How it was resolved (SPEC §3–§4), with what was given and what is done so it does not recur. */
const resolutionView = z.looseObject({
  liability: z.string(),
  validity: z.string(),
  result: z.string().describe('what the complainant was told'),
  by: actingStaff,
  at: z.string(),
  remedy: z
    .object({
      kind: z.string().describe('refund, exchange, repair, discount, compensation, apology, none'),
      amount: z.string().optional().describe('in the group’s currency (yuan), e.g. "350.00"'),
      note: z.string().optional(),
      approvedBy: actingStaff.describe('the one resolving, whose level covers the amount'),
    })
    .optional()
    .describe('退换修赔: what the complainant was given'),
  cause: z.object({ text: z.string(), category: z.string().optional() }).optional(),
  correctiveAction: z
    .object({ description: z.string(), owner: z.object({ id: z.string(), name: z.string() }), dueAt: z.string() })
    .optional()
    .describe('纠正与预防措施: followed under /v1/corrective-actions'),
});

/** A complaint's lifecycle as its workflow holds it (SPEC §4–§6). */
export const lifecycleView = z.object({
  status: z.string(),
  severity: z.string(),
  escalationLevel: z.string().describe('the ladder level now responsible: frontline … group_hq'),
  handler: staffRef,
  propertyHead: staffRef,
  reopenRound: z.number().int().describe('1, or the reopen round (2, 3)'),
  firstReplyBy: z.string().nullable().describe('RFC 3339; null once met or while paused'),
  resolveBy: z.string().nullable(),
  callbackBy: z.string().nullable(),
  deadlines: z.record(
    z.string(),
    z.object({ dueAt: z.string().nullable(), met: z.boolean(), breaches: z.number().int(), paused: z.boolean() }),
  ),
  breaches: z.array(z.record(z.string(), z.unknown())).describe('every missed deadline and the level it reached'),
  extensions: z.array(z.record(z.string(), z.unknown())),
  plan: z.record(z.string(), z.unknown()).nullable(),
  resolution: resolutionView.nullable(),
  callbacks: z.array(z.record(z.string(), z.unknown())),
  callbackPlan: z
    .object({
      attemptsMade: z.number().int().describe('failed callback attempts since the complaint was resolved'),
      attemptsAllowed: z.number().int().describe('the policy’s; once all failed it may be closed as unreachable'),
      nextAttemptAt: z.string().nullable().describe('RFC 3339: the next attempt is due (never after callbackBy)'),
      caller: staffRef.describe('who made the last attempt: reminded when the next is due'),
    })
    .nullable()
    .describe('the callback retry plan (SPEC §5); null until the complaint is resolved valid'),
  survey: z
    .object({
      number: z.number().int().describe('a new survey replaces the last: only its link is answered'),
      sentAt: z.string(),
      sentBy: staffRef,
      answeredAt: z.string().nullable(),
    })
    .nullable()
    .describe('the satisfaction survey last sent to the complainant'),
  waitingOn: z
    .object({ body: z.string(), since: z.string(), workOrderId: z.string().optional() })
    .nullable()
    .describe(
      'while awaiting_outside_body: the body outside the group waited on, and since when; while awaiting_work_order: the work order’s number (body) and id',
    ),
  supervision: supervision
    .nullable()
    .describe('the supervision from above (督办) now running: answered by the handler, accepted or returned'),
  supervisions: z.array(supervision).describe('every supervision of the complaint, oldest first'),
});

type View = z.infer<typeof lifecycleView>;

interface LifecycleDetails {
  breaches: Record<string, unknown>[];
  extensions: Record<string, unknown>[];
  plan: Record<string, unknown> | null;
  resolution: View['resolution'];
  callbacks: Record<string, unknown>[];
  callbackPlan: (NonNullable<View['callbackPlan']> & { reminded?: boolean }) | null;
  survey: View['survey'];
  waitingOn: View['waitingOn'];
  supervisions: View['supervisions'];
}

export function toLifecycleView(lifecycle: v1.GetLifecycleResponse | undefined): View | null {
  if (!lifecycle?.started) return null;
  const details = JSON.parse(lifecycle.detailsJson || '{}') as Partial<LifecycleDetails>;
  const staff = (actor: v1.Actor | undefined) => (actor?.id ? { id: actor.id, name: actor.name } : null);
  const supervisions = details.supervisions ?? [];
  const dueAt = (name: string) => lifecycle.deadlines.find((deadline) => deadline.name === name)?.dueAt || null;
  return {
    status: lifecycle.status,
    severity: lifecycle.severity,
    escalationLevel: lifecycle.level,
    handler: staff(lifecycle.handler),
    propertyHead: staff(lifecycle.propertyHead),
    reopenRound: lifecycle.round,
    firstReplyBy: dueAt('firstReplyBy'),
    resolveBy: dueAt('resolveBy'),
    callbackBy: dueAt('callbackBy'),
    deadlines: Object.fromEntries(
      lifecycle.deadlines.map((deadline) => [
        deadline.name,
        { dueAt: deadline.dueAt || null, met: deadline.met, breaches: deadline.breaches, paused: deadline.paused },
      ]),
    ),
    breaches: details.breaches ?? [],
    extensions: details.extensions ?? [],
    plan: details.plan ?? null,
    resolution: details.resolution ?? null,
    callbacks: details.callbacks ?? [],
    callbackPlan: details.callbackPlan
      ? {
          attemptsMade: details.callbackPlan.attemptsMade,
          attemptsAllowed: details.callbackPlan.attemptsAllowed,
          nextAttemptAt: details.callbackPlan.nextAttemptAt,
          caller: details.callbackPlan.caller,
        }
      : null,
    survey: details.survey ?? null,
    waitingOn: details.waitingOn ?? null,
    supervision: supervisions.at(-1)?.status === 'accepted' ? null : (supervisions.at(-1) ?? null),
    supervisions,
  };
}
