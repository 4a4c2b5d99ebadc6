import { applyDecorators, Body, Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { LIFECYCLE_ACTIONS, type LifecycleActionName } from '@complaints/domain';
import { type ActingKind } from '../access/acting-for-staff';
import { actingStaffOf } from '../access/acting-staff';
import { atLeast } from '../access/policy';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { ForbiddenError, ValidationProblem } from '../problems/errors';
import { ComplaintScope } from '../complaints/complaint-scope';
import { EscalationClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import { lifecycleView, toLifecycleView } from './lifecycle.view';

const staffId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .describe(
    'the staff member acting (required with an API key; a signed-in staff member acts as themselves): ' +
      'the action is theirs, checked against their role level',
  );

/** Approving or rejecting a plan or an extension needs the approver's level; everything else is acting. */
const APPROVALS: readonly LifecycleActionName[] = [
  'approve_plan',
  'reject_plan',
  'approve_extension',
  'reject_extension',
];

/** Supervision from above (督办): giving it, and deciding on the answer, is for property heads and above. */
const SUPERVISING: readonly LifecycleActionName[] = ['supervise', 'accept_supervision', 'return_supervision'];

/** The request body of an action: who acts, and the action's parameters. */
function actionBody<A extends Exclude<LifecycleActionName, 'record_callback'>>(action: A) {
  return LIFECYCLE_ACTIONS[action].extend({ staffId });
}
const [callbackAttempt, callbackCompleted] = LIFECYCLE_ACTIONS.record_callback.options;
/** Approving or rejecting an extension takes its number from the path. */

const bodies = {
  acknowledge: actionBody('acknowledge'),
  start_investigation: actionBody('start_investigation'),
  propose_plan: actionBody('propose_plan'),
  approve_plan: actionBody('approve_plan'),
  reject_plan: actionBody('reject_plan'),
  request_extension: actionBody('request_extension'),
  approve_extension: LIFECYCLE_ACTIONS.approve_extension.omit({ number: true }).extend({ staffId }),
  reject_extension: LIFECYCLE_ACTIONS.reject_extension.omit({ number: true }).extend({ staffId }),
  await_complainant: actionBody('await_complainant'),
  await_outside_body: actionBody('await_outside_body'),
  give_progress: actionBody('give_progress'),
  resume: actionBody('resume'),
  resolve: actionBody('resolve'),
  send_survey: actionBody('send_survey'),
  record_callback: z.discriminatedUnion('outcome', [
    callbackAttempt.extend({ staffId }),
    callbackCompleted.extend({ staffId }),
  ]),
  reopen: actionBody('reopen'),
  close: actionBody('close'),
  supervise: LIFECYCLE_ACTIONS.supervise.extend({ staffId }),
  answer_supervision: LIFECYCLE_ACTIONS.answer_supervision.extend({ staffId }),
  accept_supervision: LIFECYCLE_ACTIONS.accept_supervision.extend({ staffId }),
  return_supervision: LIFECYCLE_ACTIONS.return_supervision.extend({ staffId }),
};

type Body<A extends keyof typeof bodies> = z.infer<(typeof bodies)[A]>;

/** Decorators shared by every action endpoint. */
function action(name: keyof typeof bodies, summary: string) {
  const schemaName = `${name.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}Request`;
  return applyDecorators(
    ApiOperation({ summary }),
    ApiZodBody(schemaName, bodies[name]),
    ApiZodResponse(200, 'Lifecycle', lifecycleView, 'The lifecycle after the action.'),
    ApiProblems('not-found', 'conflict', 'forbidden'),
    HttpCode(200),
  );
}

/**
 * The SPEC §4 lifecycle actions, done by a partner for a named staff member. An action the
 * complaint's state does not allow now is a 409 naming why; a staff member whose role level is
 * too low (approving an important complaint's extension needs a property head) is a 403.
 */
@ApiTags('lifecycle')
@Controller('v1/complaints/:id')
export class LifecycleController {
  constructor(
    private readonly escalation: EscalationClient,
    private readonly scope: ComplaintScope,
    private readonly directory: StaffDirectory,
  ) {}

  /** Supervision comes from above (督办): refused here, before escalation, below a property head. */
  private async requireSupervisor(caller: Caller, staffId: string): Promise<void> {
    const level =
      caller.kind === 'staff' ? caller.roleLevel : (await this.directory.staff(caller.groupId, staffId))?.roleLevel;
    // Unknown staff are escalation's to name (400).
    if (level && !atLeast(level, 'property_head')) {
      throw new ForbiddenError('supervision (督办) is given, accepted and returned by property heads and above');
    }
  }

  private async act(
    caller: Caller,
    id: string,
    name: LifecycleActionName,
    body: { staffId?: string; [param: string]: unknown },
  ) {
    const complaint = await this.scope.complaintFor(caller, id, APPROVALS.includes(name) ? 'approve' : 'act');
    const { staffId: named, ...params } = body;
    const kind: ActingKind = APPROVALS.includes(name) ? 'approve' : name === 'close' ? 'close' : 'act';
    const actingStaff = await actingStaffOf(this.directory, caller, named, { kind, propertyId: complaint.propertyId });
    if (SUPERVISING.includes(name)) await this.requireSupervisor(caller, actingStaff);
    const { lifecycle } = await this.escalation.call.act({
      groupId: caller.groupId,
      complaintId: id,
      staffId: actingStaff,
      action: name,
      paramsJson: JSON.stringify(params),
      // Recorded with the staff member: "李娜 via <key>".
      ...(caller.kind === 'partner' ? { viaKeyId: caller.keyId, viaKeyName: caller.keyName } : {}),
    });
    return toLifecycleView(lifecycle);
  }

  @Post('acknowledge')
  @action('acknowledge', 'First reply to the complainant (meets firstReplyBy)')
  acknowledge(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.acknowledge)) body: Body<'acknowledge'>,
  ) {
    return this.act(caller, id, 'acknowledge', body);
  }

  @Post('investigation')
  @action('start_investigation', 'Start investigating')
  investigate(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.start_investigation)) body: Body<'start_investigation'>,
  ) {
    return this.act(caller, id, 'start_investigation', body);
  }

  @Post('plan')
  @action('propose_plan', 'Propose the handling plan (important and major need it approved before resolving)')
  proposePlan(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.propose_plan)) body: Body<'propose_plan'>,
  ) {
    return this.act(caller, id, 'propose_plan', body);
  }

  @Post('plan/approve')
  @action('approve_plan', 'Approve the plan (the policy’s approver level or above)')
  approvePlan(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.approve_plan)) body: Body<'approve_plan'>,
  ) {
    return this.act(caller, id, 'approve_plan', body);
  }

  @Post('plan/reject')
  @action('reject_plan', 'Reject the plan with a reason')
  rejectPlan(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.reject_plan)) body: Body<'reject_plan'>,
  ) {
    return this.act(caller, id, 'reject_plan', body);
  }

  @Post('extensions')
  @action('request_extension', 'Ask for more time before a deadline passes')
  requestExtension(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.request_extension)) body: Body<'request_extension'>,
  ) {
    return this.act(caller, id, 'request_extension', body);
  }

  @Post('extensions/:n/approve')
  @action('approve_extension', 'Approve extension request n: the deadline moves')
  approveExtension(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Param('n', ParseIntPipe) number: number,
    @Body(new ZodBody(bodies.approve_extension)) body: Body<'approve_extension'>,
  ) {
    return this.act(caller, id, 'approve_extension', { ...body, number });
  }

  @Post('extensions/:n/reject')
  @action('reject_extension', 'Reject extension request n: the deadline stays')
  rejectExtension(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Param('n', ParseIntPipe) number: number,
    @Body(new ZodBody(bodies.reject_extension)) body: Body<'reject_extension'>,
  ) {
    return this.act(caller, id, 'reject_extension', { ...body, number });
  }

  @Post('await-complainant')
  @action('await_complainant', 'Wait for the complainant: the resolution clock pauses')
  awaitComplainant(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.await_complainant)) body: Body<'await_complainant'>,
  ) {
    return this.act(caller, id, 'await_complainant', body);
  }

  @Post('await-outside-body')
  @action(
    'await_outside_body',
    'Assist: wait on a body outside the group (a utility, a government department), named; the deadlines pause until resumed',
  )
  awaitOutsideBody(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.await_outside_body)) body: Body<'await_outside_body'>,
  ) {
    return this.act(caller, id, 'await_outside_body', body);
  }

  @Post('progress')
  @action(
    'give_progress',
    'Tell the complainant how it stands: the progress update is given and the next one is due a full interval later',
  )
  giveProgress(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.give_progress)) body: Body<'give_progress'>,
  ) {
    return this.act(caller, id, 'give_progress', body);
  }

  @Post('resume')
  @action('resume', 'The complainant answered: the clock runs again')
  resume(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(bodies.resume)) body: Body<'resume'>) {
    return this.act(caller, id, 'resume', body);
  }

  @Post('resolve')
  @action(
    'resolve',
    'Resolve with liability and the result fed back, the remedy given (within the resolver’s authority: a 403 ' +
      'names the level an amount needs), the cause and a corrective action; a responsible or assisted complaint ' +
      'then waits for its callback, an invalid or non-liable one is explained and may be closed',
  )
  resolve(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(bodies.resolve)) body: Body<'resolve'>) {
    return this.act(caller, id, 'resolve', body);
  }

  @Post('callbacks')
  @action('record_callback', 'Record a callback: an attempt, or completed with satisfaction (supervisor or above)')
  callback(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.record_callback)) body: Body<'record_callback'>,
  ) {
    return this.act(caller, id, 'record_callback', body);
  }

  @Post('survey')
  @action(
    'send_survey',
    'Send the complainant the satisfaction survey (SMS or their channel, with a link to answer once): supervisor or above',
  )
  sendSurvey(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.send_survey)) body: Body<'send_survey'>,
  ) {
    return this.act(caller, id, 'send_survey', body);
  }

  @Post('reopen')
  @action('reopen', 'Reopen after dissatisfaction: round 2 one level up, round 3 senior management')
  reopen(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(bodies.reopen)) body: Body<'reopen'>) {
    return this.act(caller, id, 'reopen', body);
  }

  @Post('close')
  @action(
    'close',
    'Close (archive) after the callback, with the final answer after round 3, or unreachable once every allowed callback attempt failed',
  )
  close(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(bodies.close)) body: Body<'close'>) {
    return this.act(caller, id, 'close', body);
  }
  // Supervision from above (督办): whatever the status, until closed; the status stays.
  @Post('supervision')
  @action(
    'supervise',
    'Put the complaint under supervision (督办): a property head or above in scope, with instructions and a due time for the handler’s answer',
  )
  supervise(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.supervise)) body: z.infer<typeof bodies.supervise>,
  ) {
    if (Date.parse(body.dueAt) <= Date.now()) {
      throw new ValidationProblem([{ name: 'dueAt', reason: 'must be in the future' }]);
    }
    return this.act(caller, id, 'supervise', body);
  }

  @Post('supervision/answer')
  @action('answer_supervision', 'The handler answers the supervision: what was done')
  answerSupervision(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.answer_supervision)) body: Body<'answer_supervision'>,
  ) {
    return this.act(caller, id, 'answer_supervision', body);
  }

  @Post('supervision/accept')
  @action('accept_supervision', 'The supervisor (or someone at their level) accepts the answer: the supervision ends')
  acceptSupervision(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.accept_supervision)) body: Body<'accept_supervision'>,
  ) {
    return this.act(caller, id, 'accept_supervision', body);
  }

  @Post('supervision/return')
  @action('return_supervision', 'The supervisor sends the answer back with a reason: the handler answers again')
  returnSupervision(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.return_supervision)) body: Body<'return_supervision'>,
  ) {
    return this.act(caller, id, 'return_supervision', body);
  }
}
