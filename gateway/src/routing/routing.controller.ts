import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { v1 } from '@complaints/contracts';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerActor } from '../auth/caller';
import { ComplaintScope } from '../complaints/complaint-scope';
import { RoutingClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodResponse } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import {
  decisionView,
  mergeBody,
  reassignBody,
  reclassifyBody,
  routingSettingsBody,
  unmergeBody,
  type MergeBody,
  type ReassignBody,
  type ReclassifyBody,
  type UnmergeBody,
} from './routing.body';

function toDecisionView(decision: v1.Decision | undefined) {
  if (!decision) throw new Error('routing answered without a decision');
  const staff = (actor: v1.Actor | undefined) => (actor?.id ? { id: actor.id, name: actor.name } : null);
  return {
    category: decision.category,
    severity: decision.severity,
    department: decision.department,
    departmentId: decision.departmentId,
    handler: staff(decision.handler),
    propertyHead: staff(decision.propertyHead),
    liability: decision.liability || null,
    reasons: decision.reasons,
    mergedInto: decision.mergedInto ? { id: decision.mergedInto, number: decision.mergedIntoNumber } : null,
  };
}

/** How a complaint was classified and assigned, and the overrides of staff (SPEC §3). */
@ApiTags('routing')
@Controller()
export class RoutingController {
  constructor(
    private readonly routing: RoutingClient,
    private readonly scope: ComplaintScope,
  ) {}

  @Get('v1/complaints/:id/routing')
  @ApiOperation({ summary: 'The classification and assignment, with the rules that fired' })
  @ApiZodResponse(200, 'RoutingDecision', decisionView, 'The current decision.')
  @ApiProblems('not-found')
  async decision(@Caller() caller: Caller, @Param('id') id: string) {
    await this.scope.complaintFor(caller, id);
    const { decision } = await this.routing.call.getDecision({ groupId: caller.groupId, complaintId: id });
    return toDecisionView(decision);
  }

  @Post('v1/complaints/:id/classification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Override category, severity, department or liability, with a reason (on the timeline)' })
  @ApiZodBody('Reclassification', reclassifyBody)
  @ApiZodResponse(200, 'RoutingDecision', decisionView, 'The decision after the override.')
  @ApiProblems('not-found')
  async reclassify(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(reclassifyBody)) body: ReclassifyBody,
  ) {
    await this.scope.complaintFor(caller, id, 'reassign');
    const { decision } = await this.routing.call.reclassify({
      groupId: caller.groupId,
      complaintId: id,
      actor: callerActor(caller),
      reason: body.reason,
      category: body.category ?? '',
      severity: body.severity ?? '',
      department: body.department ?? '',
      liability: body.liability ?? '',
    });
    return toDecisionView(decision);
  }

  @Post('v1/complaints/:id/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the complaint to another handler at its property, with a reason' })
  @ApiZodBody('Reassignment', reassignBody)
  @ApiZodResponse(200, 'RoutingDecision', decisionView, 'The decision after the reassignment.')
  @ApiProblems('not-found')
  async reassign(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(reassignBody)) body: ReassignBody,
  ) {
    await this.scope.complaintFor(caller, id, 'reassign');
    const { decision } = await this.routing.call.reassign({
      groupId: caller.groupId,
      complaintId: id,
      actor: callerActor(caller),
      reason: body.reason,
      handlerId: body.handlerId,
    });
    return toDecisionView(decision);
  }

  @Post('v1/complaints/:id/merge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge into another open complaint, with a reason: handled there, its own deadlines paused',
  })
  @ApiZodBody('Merge', mergeBody)
  @ApiZodResponse(200, 'RoutingDecision', decisionView, 'The decision after the merge.')
  @ApiProblems('not-found', 'conflict')
  async merge(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(mergeBody)) body: MergeBody) {
    await this.scope.complaintFor(caller, id, 'reassign');
    await this.scope.complaintFor(caller, body.into, 'reassign');
    const { decision } = await this.routing.call.merge({
      groupId: caller.groupId,
      complaintId: id,
      intoComplaintId: body.into,
      actor: callerActor(caller),
      reason: body.reason,
    });
    return toDecisionView(decision);
  }

  @Post('v1/complaints/:id/unmerge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take the complaint out of the duplicate or collective case it was merged into: its deadlines run again',
  })
  @ApiZodBody('Unmerge', unmergeBody)
  @ApiZodResponse(200, 'RoutingDecision', decisionView, 'The decision after the unmerge.')
  @ApiProblems('not-found', 'conflict')
  async unmerge(@Caller() caller: Caller, @Param('id') id: string, @Body(new ZodBody(unmergeBody)) body: UnmergeBody) {
    await this.scope.complaintFor(caller, id, 'reassign');
    const { decision } = await this.routing.call.unmerge({
      groupId: caller.groupId,
      complaintId: id,
      actor: callerActor(caller),
      reason: body.reason,
    });
    return toDecisionView(decision);
  }

  @Get('v1/admin/routing-rules')
  @AdminOnly()
  @ApiOperation({ summary: 'The group’s classification rules and department map (the defaults until set)' })
  @ApiOkResponse({ description: '`{ rules, departments, isDefault }`' })
  async rules(@Caller() caller: Caller) {
    const { rulesJson, isDefault } = await this.routing.call.getRules({ groupId: caller.groupId });
    return { ...(JSON.parse(rulesJson) as Record<string, unknown>), isDefault };
  }

  @Put('v1/admin/routing-rules')
  @Audited<RoutingController>('routing_rules', (c, caller) => c.rules(caller))
  @AdminOnly()
  @ApiOperation({ summary: 'Replace the group’s classification rules and department map' })
  @ApiZodBody('RoutingSettings', routingSettingsBody)
  @ApiOkResponse({ description: 'The stored settings.' })
  async putRules(@Caller() caller: Caller, @Body(new ZodBody(routingSettingsBody)) body: unknown) {
    const { rulesJson } = await this.routing.call.putRules({
      groupId: caller.groupId,
      rulesJson: JSON.stringify(body),
      actor: callerActor(caller),
    });
    return JSON.parse(rulesJson) as Record<string, unknown>;
  }
}
