import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { LIFECYCLE_ACTIONS } from '@complaints/domain';
import { DomainError, NotFoundError, readSurveyToken, type SurveyLink } from '@complaints/service-kit';
import { Public } from '../auth/public.decorator';
import { GatewayConfig } from '../config';
import { EscalationClient, IntakeClient } from '../grpc/grpc-clients';
import { toLifecycleView } from '../lifecycle/lifecycle.view';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import type { ProblemKind } from '../problems/problem-types';
import { ZodBody } from '../problems/zod-body.pipe';

const surveyView = z.object({
  number: z.string().describe('the complaint’s number: nothing else of it, and nothing of the complainant'),
  survey: z.number().int(),
  answered: z.boolean(),
});
type SurveyView = z.infer<typeof surveyView>;

/** Besides the link's own: counted per client address like every request without a key, and the services behind. */
const SURVEY_PROBLEMS = [
  'not-found',
  'conflict',
  'rate-limited',
  'service-unavailable',
  'upstream-timeout',
] as const satisfies ProblemKind[];

/** What the complainant answers: how satisfied, and anything to add. */
const answerBody = LIFECYCLE_ACTIONS.answer_survey.omit({ survey: true });

/**
 * The satisfaction survey as the complainant sees it, through the link notification sent them
 * (SPEC §5 回访 by message): no API key, the link's signed token is the only credential. It
 * opens only the survey it was sent for, shows the complaint's number alone, and is answered
 * once; the answer is recorded as a completed callback by message.
 */
@ApiTags('surveys')
@Public()
@Controller('v1/surveys/:token')
export class SurveysController {
  constructor(
    private readonly config: GatewayConfig,
    private readonly intake: IntakeClient,
    private readonly escalation: EscalationClient,
  ) {}

  /** A link not made with the secret reads as no survey at all: nothing tells a guess it came close. */
  private link(token: string): SurveyLink {
    const link = readSurveyToken(this.config.surveyLinkSecret, token);
    if (!link) throw new NotFoundError('survey (this link is not valid)');
    return link;
  }

  private async view(link: SurveyLink): Promise<SurveyView> {
    const [{ complaint }, lifecycle] = await Promise.all([
      this.intake.call.getComplaint({ groupId: link.groupId, complaintId: link.complaintId }),
      this.escalation.call.getLifecycle({ groupId: link.groupId, complaintId: link.complaintId }),
    ]);
    const view = toLifecycleView(lifecycle);
    const survey = view?.survey;
    if (!complaint || !view || !survey) throw new NotFoundError('survey (this link is not valid)');
    if (link.survey < survey.number) {
      throw new DomainError(
        'failed_precondition',
        'a newer survey was sent since this link: answer through the latest one',
      );
    }
    const answered = survey.answeredAt !== null;
    // Reopened since, called back by phone meanwhile, or closed: the question no longer stands.
    const resolvedAt = view.resolution?.at;
    const superseded = typeof resolvedAt === 'string' && resolvedAt > survey.sentAt;
    if (!answered && (view.status !== 'resolved' || superseded)) {
      throw new DomainError('failed_precondition', 'this survey can no longer be answered');
    }
    return { number: complaint.number, survey: link.survey, answered };
  }

  @Get()
  @ApiOperation({ summary: 'The survey a link opens: the complaint’s number, and whether it was answered' })
  @ApiZodResponse(200, 'Survey', surveyView, 'The survey.')
  @ApiProblems(...SURVEY_PROBLEMS)
  async read(@Param('token') token: string): Promise<SurveyView> {
    return this.view(this.link(token));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the survey, once: recorded as the callback (the complaint moves to callback_done)' })
  @ApiZodBody('SurveyAnswer', answerBody)
  @ApiZodResponse(200, 'Survey', surveyView, 'The survey, answered.')
  @ApiProblems(...SURVEY_PROBLEMS)
  async answer(
    @Param('token') token: string,
    @Body(new ZodBody(answerBody)) body: z.infer<typeof answerBody>,
  ): Promise<SurveyView> {
    const link = this.link(token);
    const before = await this.view(link);
    // The workflow refuses an answered or superseded survey itself (409): this only names it first.
    if (before.answered) throw new DomainError('failed_precondition', 'this survey was already answered, thank you');
    await this.escalation.call.act({
      groupId: link.groupId,
      complaintId: link.complaintId,
      // The complainant is nobody of the staff: escalation takes this action only without one.
      staffId: '',
      action: 'answer_survey',
      paramsJson: JSON.stringify({ ...body, survey: link.survey }),
    });
    return { ...before, answered: true };
  }
}
