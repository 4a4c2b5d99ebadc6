import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { NotFoundError } from '@complaints/service-kit';
import { actingRefusal } from '../access/acting-for-staff';
import { listScope } from '../access/policy';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { CorrectiveActionsClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../openapi/zod-schemas';
import { ForbiddenError, ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';

const staffRef = z.object({ id: z.string(), name: z.string() });

/** A corrective and preventive action (纠正与预防措施) as the API shows it. */
export const correctiveActionView = z.object({
  id: z.string(),
  propertyId: z.string(),
  complaintId: z.string().describe('the complaint whose resolution, recurrence or spot check opened it'),
  source: z
    .enum(['resolution', 'recurring', 'spot_check'])
    .describe('what opened it: a resolution, a recurring problem, or a nonconforming spot check’s follow-up'),
  category: z.string().describe('the complaint category of a recurring problem; empty otherwise'),
  description: z.string(),
  owner: staffRef,
  dueAt: z.string(),
  status: z.enum(['open', 'done', 'verified']),
  overdue: z.boolean().describe('open and past its due time (its timer found it so)'),
  overdueAt: z.string().nullable(),
  createdAt: z.string(),
  history: z
    .array(
      z.object({
        step: z.enum(['opened', 'overdue', 'done', 'verified', 'returned']),
        at: z.string(),
        by: staffRef.nullable(),
        text: z.string(),
      }),
    )
    .describe('every step with who, when and what they said'),
});
type CorrectiveActionView = z.infer<typeof correctiveActionView>;

export function toCorrectiveActionView(action: v1.CorrectiveAction | undefined): CorrectiveActionView {
  if (!action) throw new NotFoundError('corrective action');
  return {
    id: action.id,
    propertyId: action.propertyId,
    complaintId: action.complaintId,
    source: action.source === 'recurring' || action.source === 'spot_check' ? action.source : 'resolution',
    category: action.category,
    description: action.description,
    owner: { id: action.owner?.id ?? '', name: action.owner?.name ?? '' },
    dueAt: action.dueAt,
    status: action.status as CorrectiveActionView['status'],
    overdue: action.status === 'open' && action.overdueAt !== '',
    overdueAt: action.overdueAt || null,
    createdAt: action.createdAt,
    history: JSON.parse(action.historyJson || '[]') as CorrectiveActionView['history'],
  };
}

const listQuery = z.strictObject({
  status: z.enum(['open', 'done', 'verified', 'overdue']).optional().describe('overdue: open and past due'),
  propertyId: z.string().trim().min(1).max(64).optional().describe('one property of the caller’s scope'),
  owner: z.string().trim().min(1).max(64).optional().describe('a staff id, or `me` for a signed-in staff member'),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const staffId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .describe('the staff member acting (required with an API key; a signed-in staff member acts as themselves)');
const bodies = {
  done: z.strictObject({ staffId, report: z.string().trim().min(1).max(4000).describe('what was done') }),
  verify: z.strictObject({ staffId, note: z.string().trim().min(1).max(2000).optional() }),
  return: z.strictObject({ staffId, reason: z.string().trim().min(1).max(2000).describe('why it goes back') }),
};

const listView = z.object({ actions: z.array(correctiveActionView) });

/**
 * Corrective and preventive actions (纠正与预防措施, seed 003): opened by a responsible
 * complaint's resolution or by a recurring problem; the owner reports it done, someone else at
 * supervisor level or above verifies it or sends it back. Its timer marks it overdue.
 */
@ApiTags('corrective-actions')
@Controller('v1/corrective-actions')
export class CorrectiveActionsController {
  constructor(
    private readonly actions: CorrectiveActionsClient,
    private readonly directory: StaffDirectory,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Corrective actions in the caller’s scope, nearest due first' })
  @ApiZodQuery(listQuery)
  @ApiZodResponse(200, 'CorrectiveActions', listView, 'The actions.')
  @ApiProblems('validation-error', 'forbidden')
  async list(@Caller() caller: Caller, @Query(new ZodBody(listQuery)) query: z.infer<typeof listQuery>) {
    const scope = listScope(caller);
    let propertyIds = scope.propertyScope;
    const regionId = scope.regionScope[0] ?? '';
    // A regional GM without a region sees nothing: no property has an empty id.
    if (scope.regionScope.length > 0 && regionId === '') propertyIds = [''];
    if (query.propertyId) {
      if (propertyIds.length > 0 && !propertyIds.includes(query.propertyId)) {
        throw new ForbiddenError(`property ${query.propertyId} is outside the caller's scope`);
      }
      propertyIds = [query.propertyId];
    }
    let ownerId = query.owner ?? '';
    if (ownerId === 'me') {
      if (caller.kind !== 'staff')
        throw new ValidationProblem([{ name: 'owner', reason: 'me is for signed-in staff' }]);
      ownerId = caller.staffId;
    }
    const { actions } = await this.actions.call.listCorrectiveActions({
      groupId: caller.groupId,
      propertyIds,
      regionId: query.propertyId ? '' : regionId,
      status: query.status ?? '',
      ownerId,
      limit: query.limit ?? 100,
    });
    // A property given for a regional GM is checked here: the region's actions only.
    return {
      actions: actions.filter((action) => !regionId || action.regionId === regionId).map(toCorrectiveActionView),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One corrective action with its history' })
  @ApiZodResponse(200, 'CorrectiveAction', correctiveActionView, 'The action.')
  @ApiProblems('not-found')
  async get(@Caller() caller: Caller, @Param('id') id: string) {
    return toCorrectiveActionView(await this.visible(caller, id));
  }

  @Post(':id/done')
  @HttpCode(200)
  @ApiOperation({ summary: 'The owner reports what was done' })
  @ApiZodBody('CorrectiveActionDone', bodies.done)
  @ApiZodResponse(200, 'CorrectiveAction', correctiveActionView, 'The action after the step.')
  @ApiProblems('not-found', 'conflict', 'forbidden')
  done(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.done)) body: z.infer<typeof bodies.done>,
  ) {
    return this.step(caller, id, 'done', body.staffId, body.report);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify a done action (supervisor or above, not its owner)' })
  @ApiZodBody('CorrectiveActionVerify', bodies.verify)
  @ApiZodResponse(200, 'CorrectiveAction', correctiveActionView, 'The action after the step.')
  @ApiProblems('not-found', 'conflict', 'forbidden')
  verify(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.verify)) body: z.infer<typeof bodies.verify>,
  ) {
    return this.step(caller, id, 'verify', body.staffId, body.note ?? '');
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a done action back to its owner, saying why (supervisor or above, not its owner)' })
  @ApiZodBody('CorrectiveActionReturn', bodies.return)
  @ApiZodResponse(200, 'CorrectiveAction', correctiveActionView, 'The action after the step.')
  @ApiProblems('not-found', 'conflict', 'forbidden')
  sendBack(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(bodies.return)) body: z.infer<typeof bodies.return>,
  ) {
    return this.step(caller, id, 'return', body.staffId, body.reason);
  }

  /** The action, if the caller's scope holds its property: otherwise it does not exist for them (404). */
  private async visible(caller: Caller, id: string): Promise<v1.CorrectiveAction> {
    const { action } = await this.actions.call.getCorrectiveAction({ groupId: caller.groupId, id });
    if (!action) throw new NotFoundError(`corrective action ${id}`);
    const scope = listScope(caller);
    const sees =
      scope.regionScope.length > 0
        ? scope.regionScope.includes(action.regionId) && action.regionId !== ''
        : scope.propertyScope.length === 0 || scope.propertyScope.includes(action.propertyId);
    if (!sees) throw new NotFoundError(`corrective action ${id}`);
    return action;
  }

  private async step(
    caller: Caller,
    id: string,
    step: 'done' | 'verify' | 'return',
    named: string | undefined,
    text: string,
  ) {
    const action = await this.visible(caller, id);
    let acting: string;
    if (caller.kind === 'staff') {
      if (named !== undefined && named !== caller.staffId) throw new ForbiddenError('staff act only as themselves');
      acting = caller.staffId;
    } else {
      if (named === undefined)
        throw new ValidationProblem([{ name: 'staffId', reason: 'is required with an API key' }]);
      const staff = await this.directory.staff(caller.groupId, named);
      if (staff) {
        const refusal = actingRefusal(
          caller,
          { name: staff.record.name, roleLevel: staff.roleLevel, propertyIds: staff.record.propertyIds },
          { kind: step === 'done' ? 'act' : 'approve', propertyId: action.propertyId },
        );
        if (refusal) throw new ForbiddenError(refusal);
      }
      acting = named;
    }
    const { action: after } = await this.actions.call.stepCorrectiveAction({
      groupId: caller.groupId,
      id,
      step,
      staffId: acting,
      text,
    });
    return toCorrectiveActionView(after);
  }
}
