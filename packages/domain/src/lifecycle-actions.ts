import { z } from 'zod';
import { CALLBACK_METHODS, DEADLINE_NAMES, LIABILITIES, SATISFACTIONS, VALIDITIES } from './vocabulary';
import { causeSchema, correctiveActionSchema, remedySchema } from './remedies';

// What staff do to a complaint along its lifecycle (SPEC §4, §5), one schema per action. The
// gateway validates request bodies with them and escalation validates them again before the
// workflow sees them: one definition for both sides.

const text = (max: number) => z.string().trim().min(1).max(max);
const reason = text(2000).describe('why: recorded on the timeline');
const note = text(2000).optional();

export const LIFECYCLE_ACTIONS = {
  /** The first reply to the complainant: meets firstReplyBy. */
  acknowledge: z.strictObject({ reply: text(4000).describe('what the complainant was told') }),
  start_investigation: z.strictObject({ note }),
  propose_plan: z.strictObject({ plan: text(8000) }),
  approve_plan: z.strictObject({ note }),
  reject_plan: z.strictObject({ reason }),
  request_extension: z.strictObject({
    deadline: z.enum(DEADLINE_NAMES).default('resolveBy'),
    until: z.iso.datetime({ offset: true }).describe('the new due time asked for (RFC 3339)'),
    reason,
  }),
  approve_extension: z.strictObject({ number: z.number().int().min(1), note }),
  reject_extension: z.strictObject({ number: z.number().int().min(1), reason }),
  await_complainant: z.strictObject({ reason }),
  /**
   * Assisting (协助处理): the matter waits on a body outside the group, such as a utility or a
   * government department; the deadlines pause until the handler resumes.
   */
  await_outside_body: z.strictObject({
    body: text(200).describe('who is waited on: the water company, the street office, a contractor …'),
    reason,
  }),
  /**
   * The complaint waits on a repair work order raised from it (报修): the deadlines pause until the
   * work order is completed. Done by the gateway when the work order is raised, not by hand.
   */
  await_work_order: z.strictObject({
    workOrderId: text(64),
    number: text(64).describe('the work order number (WO-…)'),
  }),
  /** The complainant was told how it stands (SPEC §5 progress updates): the next one is due a full interval later. */
  give_progress: z.strictObject({ message: text(4000).describe('what the complainant was told') }),
  resume: z.strictObject({ note }),
  resolve: z.strictObject({
    liability: z.enum(LIABILITIES),
    validity: z.enum(VALIDITIES).default('valid'),
    result: text(8000).describe('the result fed back to the complainant'),
    remedy: remedySchema.optional(),
    cause: causeSchema.optional(),
    correctiveAction: correctiveActionSchema.optional(),
  }),
  record_callback: z.discriminatedUnion('outcome', [
    z.strictObject({
      outcome: z.literal('attempt'),
      method: z.enum(CALLBACK_METHODS),
      reason: reason.describe('why the complainant could not be reached'),
    }),
    z.strictObject({
      outcome: z.literal('completed'),
      method: z.enum(CALLBACK_METHODS),
      personReached: text(200),
      satisfaction: z.enum(SATISFACTIONS),
      comments: text(4000).optional(),
      /** A phone callback is signed by staff "on behalf, by phone"; a visit by the complainant (e-signature or photo). */
      signature: text(2000).optional(),
    }),
  ]),
  /** The complainant is sent a link to answer the callback's question themselves (SPEC §5 回访 by message). */
  send_survey: z.strictObject({ note }),
  /**
   * The complainant's answer through the survey link: only the gateway's public survey endpoint
   * sends it (after checking the link), never staff.
   */
  answer_survey: z.strictObject({
    survey: z.number().int().min(1).describe('which survey the link was for'),
    satisfaction: z.enum(SATISFACTIONS),
    comments: text(4000).optional(),
  }),
  reopen: z.strictObject({ reason }),
  close: z.strictObject({
    note,
    finalAnswer: text(8000).optional(),
    unreachable: z
      .boolean()
      .optional()
      .describe('close a resolved complaint whose complainant every allowed callback attempt failed to reach'),
  }),
  // Supervision from above (督办): a property head or higher puts the complaint under supervision,
  // in any state until it is closed; it never changes the status (lifecycle/supervision.ts).
  supervise: z.strictObject({
    instructions: text(4000).describe('what the supervisor wants done'),
    dueAt: z.iso.datetime({ offset: true }).describe('when the handler’s answer is due (RFC 3339)'),
  }),
  answer_supervision: z.strictObject({ answer: text(4000).describe('what was done') }),
  accept_supervision: z.strictObject({ note }),
  return_supervision: z.strictObject({ reason: reason.describe('why the answer is not enough: it is answered again') }),
} as const;

export type LifecycleActionName = keyof typeof LIFECYCLE_ACTIONS;
export type LifecycleActionParams<A extends LifecycleActionName> = z.output<(typeof LIFECYCLE_ACTIONS)[A]>;
export const LIFECYCLE_ACTION_NAMES = Object.keys(LIFECYCLE_ACTIONS) as LifecycleActionName[];
