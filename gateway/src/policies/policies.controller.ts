import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { AdminOnly } from '../auth/admin-only.decorator';
import { enforce } from '../access/enforce';
import { decide } from '../access/policy';
import { Caller, callerActor } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { EscalationClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';

/** Escalation validates the content and names every problem; the gateway only needs an object. */
const policyBody = z
  .record(z.string(), z.unknown())
  .describe(
    '`{ severities: { general?, important?, major? }, letterFirstReply?, workOrders? }`: each severity whole, with ' +
      '`firstReply`, `resolution`, `callback`, `autoUpgradeAfter` and `progressUpdateEvery` (null or) as ' +
      '`{ duration: ISO-8601 such as PT1H or P3D, basis: calendar | working }`, `approver` and `startLevel` ' +
      '(frontline … group_hq), `reminderAt` (0–1, e.g. 0.8) and `notifyOnReceipt` (levels); optionally ' +
      '`callbackAttempts` (1–10, default 3: failed callbacks before closing as unreachable) and ' +
      '`callbackRetryAfter` (a time limit, default PT4H: the next attempt is due then, never after callbackBy). ' +
      "`workOrders: { emergency?, urgent?, normal? }` sets repair work orders' limits, each urgency whole as " +
      '`{ arrive, complete }` time limits (arrive no longer than complete; defaults: emergency PT30M / PT4H ' +
      'calendar, urgent PT2H / P1D working, normal P1D / P3D working); a work order keeps the times it was raised with.',
  );
const calendarBody = z
  .record(z.string(), z.unknown())
  .describe(
    '`{ timeZone, workingDays: [1..7], businessHours: { start: "09:00", end: "18:00" }, holidays: ["YYYY-MM-DD"], ' +
      'makeUpWorkingDays: ["YYYY-MM-DD"] }` (调休 make-up days are worked weekend days).',
  );

function policyView(response: v1.GetPolicyResponse) {
  return {
    policy: response.policyJson ? (JSON.parse(response.policyJson) as Record<string, unknown>) : null,
    effective: JSON.parse(response.effectiveJson) as Record<string, unknown>,
  };
}

/**
 * Deadline policies (SPEC §5) per group, region and property: the most specific wins, severity
 * by severity and work-order urgency by urgency. Working calendars per region (the mainland China
 * one until a region sets its own). A complaint keeps the policy in force when it was routed, a
 * work order the times it was raised with.
 */
@ApiTags('policies')
@Controller('v1')
export class PoliciesController {
  constructor(
    private readonly escalation: EscalationClient,
    private readonly directory: StaffDirectory,
  ) {}

  /** A region or property the caller sees (another is 404). */
  private async scopeFor(caller: Caller, kind: 'regions' | 'properties', id: string): Promise<v1.PolicyScope> {
    if (kind === 'properties') {
      const regionId = caller.kind === 'staff' ? await this.directory.regionOf(caller.groupId, id) : '';
      enforce(decide(caller, 'view', { kind: 'property', id, regionId }), `property ${id}`);
      return { kind: 'property', id };
    }
    enforce(decide(caller, 'view', { kind: 'region', id }), `region ${id}`);
    return { kind: 'region', id };
  }

  @Get('policies')
  @ApiOperation({ summary: 'The group’s deadline policy and what applies group-wide' })
  @ApiOkResponse({ description: '`{ policy, effective }`: what the group sets (null: nothing) and the result.' })
  async groupPolicy(@Caller() caller: Caller) {
    return policyView(
      await this.escalation.call.getPolicy({ groupId: caller.groupId, scope: { kind: 'group', id: '' } }),
    );
  }

  @Put('policies')
  @Audited<PoliciesController>('policy', (c, caller) => c.groupPolicy(caller))
  @AdminOnly()
  @ApiOperation({ summary: 'Set the group’s deadline policy' })
  @ApiZodBody('DeadlinePolicy', policyBody)
  @ApiOkResponse({ description: '`{ policy, effective }`' })
  @ApiProblems('forbidden')
  async putGroupPolicy(@Caller() caller: Caller, @Body(new ZodBody(policyBody)) body: Record<string, unknown>) {
    return policyView(
      await this.escalation.call.putPolicy({
        groupId: caller.groupId,
        scope: { kind: 'group', id: '' },
        policyJson: JSON.stringify(body),
        actor: callerActor(caller),
      }),
    );
  }

  @Get('policies/regions/:id')
  @ApiOperation({ summary: 'A region’s own policy and what applies there' })
  @ApiOkResponse({ description: '`{ policy, effective }`' })
  regionPolicy(@Caller() caller: Caller, @Param('id') id: string) {
    return this.getScoped(caller, 'regions', id);
  }

  @Put('policies/regions/:id')
  @Audited<PoliciesController>('policy', (c, caller, p) => c.regionPolicy(caller, p.id))
  @AdminOnly()
  @ApiOperation({ summary: 'Set a region’s policy (severities it leaves out come from the group)' })
  @ApiZodBody('DeadlinePolicy', policyBody)
  @ApiOkResponse({ description: '`{ policy, effective }`' })
  @ApiProblems('forbidden')
  putRegionPolicy(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(policyBody)) body: Record<string, unknown>,
  ) {
    return this.putScoped(caller, 'regions', id, body);
  }

  @Get('policies/properties/:id')
  @ApiOperation({ summary: 'A property’s own policy and what applies there (property over region over group)' })
  @ApiOkResponse({ description: '`{ policy, effective }`' })
  @ApiProblems('not-found')
  propertyPolicy(@Caller() caller: Caller, @Param('id') id: string) {
    return this.getScoped(caller, 'properties', id);
  }

  @Put('policies/properties/:id')
  @Audited<PoliciesController>('policy', (c, caller, p) => c.propertyPolicy(caller, p.id))
  @AdminOnly('manage_policies', { perProperty: true })
  @ApiOperation({ summary: 'Set a property’s policy (severities it leaves out come from its region or the group)' })
  @ApiZodBody('DeadlinePolicy', policyBody)
  @ApiOkResponse({ description: '`{ policy, effective }`' })
  @ApiProblems('not-found', 'forbidden')
  putPropertyPolicy(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(policyBody)) body: Record<string, unknown>,
  ) {
    return this.putScoped(caller, 'properties', id, body);
  }

  private async getScoped(caller: Caller, kind: 'regions' | 'properties', id: string) {
    return policyView(
      await this.escalation.call.getPolicy({ groupId: caller.groupId, scope: await this.scopeFor(caller, kind, id) }),
    );
  }

  private async putScoped(caller: Caller, kind: 'regions' | 'properties', id: string, body: Record<string, unknown>) {
    const scope = await this.scopeFor(caller, kind, id);
    // An admin key limited to properties gets here for its own properties' policies only.
    enforce(
      decide(
        caller,
        'manage_policies',
        kind === 'properties' ? { kind: 'property', id, regionId: '' } : { kind: 'region', id },
      ),
      `${kind} ${id}`,
    );
    return policyView(
      await this.escalation.call.putPolicy({
        groupId: caller.groupId,
        scope,
        policyJson: JSON.stringify(body),
        actor: callerActor(caller),
      }),
    );
  }

  @Get('calendars/:regionId')
  @ApiOperation({ summary: 'A region’s working calendar (isDefault: the shipped mainland China 2025–2026 one)' })
  @ApiOkResponse({ description: '`{ calendar, isDefault }`' })
  async calendar(@Caller() caller: Caller, @Param('regionId') regionId: string) {
    const { calendarJson, isDefault } = await this.escalation.call.getCalendar({ groupId: caller.groupId, regionId });
    return { calendar: JSON.parse(calendarJson) as Record<string, unknown>, isDefault };
  }

  @Put('calendars/:regionId')
  @Audited<PoliciesController>('calendar', (c, caller, p) => c.calendar(caller, p.regionId))
  @AdminOnly()
  @ApiOperation({ summary: 'Set a region’s working calendar: working days, business hours, holidays, make-up days' })
  @ApiZodBody('WorkingCalendar', calendarBody)
  @ApiOkResponse({ description: '`{ calendar, isDefault: false }`' })
  @ApiProblems('forbidden')
  async putCalendar(
    @Caller() caller: Caller,
    @Param('regionId') regionId: string,
    @Body(new ZodBody(calendarBody)) body: Record<string, unknown>,
  ) {
    const { calendarJson } = await this.escalation.call.putCalendar({
      groupId: caller.groupId,
      regionId,
      calendarJson: JSON.stringify(body),
      actor: callerActor(caller),
    });
    return { calendar: JSON.parse(calendarJson) as Record<string, unknown>, isDefault: false };
  }
}
