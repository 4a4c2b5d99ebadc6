import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { NotFoundError, readSignedToken, signedToken, surveyToken } from '@complaints/service-kit';
import { Public } from '../auth/public.decorator';
import { StaffDirectory } from '../auth/staff-directory';
import { GatewayConfig } from '../config';
import { GroupsRepository } from '../groups/groups.repository';
import { EscalationClient, IntakeClient } from '../grpc/grpc-clients';
import { toLifecycleView } from '../lifecycle/lifecycle.view';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { RateLimitedError } from '../problems/errors';
import type { ProblemKind } from '../problems/problem-types';
import { ZodBody } from '../problems/zod-body.pipe';
import { SharedRateCounter } from '../rate-limits/shared-rate-counter';

const PURPOSE = 'complainant-view:v1';
/** The page refreshes with its token for this long; then the number and digits are asked again. */
const VIEW_TOKEN_MS = 60 * 60_000;
/** Tries of one number within the window, right or wrong: ten thousand endings cannot be walked through. */
const TRIES_PER_NUMBER = 10;
const TRIES_WINDOW_MS = 15 * 60_000;

const findBody = z.strictObject({
  group: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('the property group (as in the console’s ?group=); absent: the gateway’s own group'),
  number: z.string().trim().min(1).max(40).describe('the complaint number the complainant was given'),
  contactLastFour: z
    .string()
    .regex(/^\d{4}$/, 'the last four digits of the phone number given with the complaint')
    .describe('the last four digits of the contact given with the complaint'),
});

const timeLimit = z.object({
  dueAt: z.string().nullable().describe('RFC 3339; null while paused'),
  met: z.boolean(),
});

const complainantView = z.object({
  token: z.string().describe('opens this view again (GET) for an hour without asking the digits again'),
  number: z.string(),
  property: z.string().describe('the property’s name'),
  receivedAt: z.string(),
  status: z.string().describe('the complaint’s state: registered, assigned, in_progress, resolved, closed …'),
  firstReply: timeLimit.nullable().describe('when the complainant is first answered by (SPEC §5)'),
  resolution: timeLimit.nullable().describe('when it is resolved by'),
  waitingOn: z
    .string()
    .nullable()
    .describe('while the complaint waits on a body outside the group (a utility …): its name; the times are paused'),
  result: z
    .object({ text: z.string(), at: z.string() })
    .nullable()
    .describe('the result as told to the complainant, once resolved'),
  survey: z
    .object({ token: z.string().describe('for /v1/surveys/{token}'), answered: z.boolean() })
    .nullable()
    .describe('the satisfaction survey sent for this complaint, while it can be answered or once answered'),
});
type ComplainantView = z.infer<typeof complainantView>;

const PROBLEMS = [
  'not-found',
  'rate-limited',
  'service-unavailable',
  'upstream-timeout',
] as const satisfies ProblemKind[];

/** One answer for an unknown number, wrong digits, another group's or a suspended group's complaint. */
const NOT_FOUND = 'complaint (no complaint has this number and these last four digits)';

/**
 * The complainant's own view of their complaint (a small public page): no key, the complaint
 * number and the last four digits of the contact given are the credential. It shows what the
 * complainant was or will be told anyway (state, the times promised, the result) and nothing of
 * the staff or the inside of the handling. Each number may be tried a few times per quarter of an
 * hour across every gateway replica, besides the per-address limit of every public route.
 */
@ApiTags('complainant view')
@Public()
@Controller('v1/complainant-view')
export class ComplainantViewController {
  constructor(
    private readonly config: GatewayConfig,
    private readonly groups: GroupsRepository,
    private readonly intake: IntakeClient,
    private readonly escalation: EscalationClient,
    private readonly directory: StaffDirectory,
    private readonly tries: SharedRateCounter,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Find a complaint by its number and the last four digits of the contact given' })
  @ApiZodBody('ComplainantViewRequest', findBody)
  @ApiZodResponse(200, 'ComplainantView', complainantView, 'The complaint as its complainant may see it.')
  @ApiProblems(...PROBLEMS)
  async find(@Body(new ZodBody(findBody)) body: z.infer<typeof findBody>): Promise<ComplainantView> {
    const groupId = body.group ?? this.config.bootstrap.groupId;
    const number = body.number.toUpperCase();
    const tried = await this.tries.increment(
      `complainant-view:${groupId}:${number}`,
      TRIES_WINDOW_MS,
      TRIES_PER_NUMBER,
    );
    if (tried.isBlocked) {
      throw new RateLimitedError(tried.timeToExpire, 'too many tries for this complaint number');
    }
    const group = await this.groups.forRequest(groupId);
    if (group?.status !== 'active') throw new NotFoundError(NOT_FOUND);
    const { complaintId } = await this.intake.call.findForComplainant({
      groupId,
      number,
      contactLastFour: body.contactLastFour,
    });
    if (!complaintId) throw new NotFoundError(NOT_FOUND);
    return this.view(groupId, complaintId);
  }

  @Get(':token')
  @ApiOperation({ summary: 'The complaint again, through the token of an earlier answer (for an hour)' })
  @ApiZodResponse(200, 'ComplainantView', complainantView, 'The complaint as its complainant may see it.')
  @ApiProblems(...PROBLEMS)
  async read(@Param('token') token: string): Promise<ComplainantView> {
    const fields = readSignedToken(this.config.surveyLinkSecret, PURPOSE, token);
    const [groupId, complaintId, expiresAt] = fields ?? [];
    if (typeof groupId !== 'string' || typeof complaintId !== 'string' || typeof expiresAt !== 'number') {
      throw new NotFoundError('complaint (this link is not valid)');
    }
    if (expiresAt < Date.now()) throw new NotFoundError('complaint (this link expired: enter the number again)');
    const group = await this.groups.forRequest(groupId);
    if (group?.status !== 'active') throw new NotFoundError(NOT_FOUND);
    return this.view(groupId, complaintId);
  }

  private async view(groupId: string, complaintId: string): Promise<ComplainantView> {
    const [{ complaint }, lifecycle, directory] = await Promise.all([
      this.intake.call.getComplaint({ groupId, complaintId }),
      this.escalation.call.getLifecycle({ groupId, complaintId }),
      this.directory.of(groupId),
    ]);
    if (!complaint) throw new NotFoundError(NOT_FOUND);
    const lifecycleView = toLifecycleView(lifecycle);
    const limit = (name: string) => {
      const deadline = lifecycleView?.deadlines[name];
      return deadline ? { dueAt: deadline.dueAt, met: deadline.met } : null;
    };
    const resolution = lifecycleView?.resolution;
    const resultText = typeof resolution?.result === 'string' ? resolution.result : null;
    const resultAt = typeof resolution?.at === 'string' ? resolution.at : null;
    const survey = lifecycleView?.survey;
    return {
      token: signedToken(this.config.surveyLinkSecret, PURPOSE, [groupId, complaintId, Date.now() + VIEW_TOKEN_MS]),
      number: complaint.number,
      property: directory.properties.find((property) => property.id === complaint.propertyId)?.name ?? '',
      receivedAt: complaint.receivedAt,
      // Before routing has started the lifecycle, intake's state is the complaint's.
      status: lifecycleView?.status ?? complaint.status,
      firstReply: limit('firstReplyBy'),
      resolution: limit('resolveBy'),
      // A repair work order the complaint waits on is the group's own work, not a body outside it.
      waitingOn: lifecycleView?.status === 'awaiting_outside_body' ? (lifecycleView.waitingOn?.body ?? null) : null,
      result: resultText && resultAt ? { text: resultText, at: resultAt } : null,
      survey: survey
        ? {
            token: surveyToken(this.config.surveyLinkSecret, { groupId, complaintId, survey: survey.number }),
            answered: survey.answeredAt !== null,
          }
        : null,
    };
  }
}
