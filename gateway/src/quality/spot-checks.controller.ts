import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { SPOT_CHECK_VERDICTS } from '@complaints/domain';
import { actingRefusal } from '../access/acting-for-staff';
import { decide } from '../access/policy';
import { Caller, callerActor } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { complaintResource, ComplaintScope } from '../complaints/complaint-scope';
import { toTimelineEntryView } from '../complaints/complaint.view';
import { IntakeClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody } from '../openapi/zod-schemas';
import { ForbiddenError, ValidationProblem } from '../problems/errors';
import { ZodBody } from '../problems/zod-body.pipe';

const text = (max: number) => z.string().trim().min(1).max(max);

export const spotCheckBody = z.strictObject({
  verdict: z.enum(SPOT_CHECK_VERDICTS).describe('conforming: handled as the procedures say; nonconforming: not'),
  findings: text(4000).describe('what the check found'),
  followUp: text(4000).optional().describe('what must still be done about it (整改), if anything'),
  staffId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('with an API key: the quality staff member checking (required); a signed-in one checks as themselves'),
});
type SpotCheckBody = z.infer<typeof spotCheckBody>;

/**
 * Quality spot checks (品质部抽查, SPEC §1 quality department): staff of a quality department
 * check how a closed complaint was handled and record a verdict, findings and any follow-up.
 * Listed on the complaint (`spotChecks`) and on its timeline.
 */
@ApiTags('quality')
@Controller('v1/complaints/:id/spot-checks')
export class SpotChecksController {
  constructor(
    private readonly intake: IntakeClient,
    private readonly scope: ComplaintScope,
    private readonly directory: StaffDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Record a quality spot check (品质部抽查) of a closed complaint: quality department staff only; 409 unless closed',
  })
  @ApiZodBody('SpotCheck', spotCheckBody)
  @ApiResponse({ status: 201, description: 'The new timeline entry (type spot_check).' })
  @ApiProblems('not-found', 'conflict', 'forbidden')
  async record(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(spotCheckBody)) body: SpotCheckBody,
  ) {
    const complaint = await this.scope.complaintFor(caller, id, 'spot_check');
    const actor = await this.checker(caller, body.staffId, complaint);
    const { entry } = await this.intake.call.addNote({
      groupId: caller.groupId,
      complaintId: id,
      actor,
      text: body.findings,
      kind: 'spot_check',
      // Who and when are the note's.
      spotCheck: {
        verdict: body.verdict,
        findings: body.findings,
        followUp: body.followUp ?? '',
        actor: undefined,
        at: '',
      },
    });
    if (!entry) throw new Error('intake answered without the entry');
    return toTimelineEntryView(entry);
  }

  /** Who checks: the signed-in staff member, or the quality staff member a key names (in scope, within its grant). */
  private async checker(caller: Caller, named: string | undefined, complaint: Parameters<typeof complaintResource>[0]) {
    if (caller.kind === 'staff') {
      if (named !== undefined && named !== caller.staffId) throw new ForbiddenError('staff act only as themselves');
      return callerActor(caller);
    }
    if (named === undefined) throw new ValidationProblem([{ name: 'staffId', reason: 'is required with an API key' }]);
    const staff = await this.directory.staff(caller.groupId, named);
    if (!staff) throw new ValidationProblem([{ name: 'staffId', reason: 'is no staff member of the group' }]);
    const refusal = actingRefusal(
      caller,
      { name: staff.record.name, roleLevel: staff.roleLevel, propertyIds: staff.record.propertyIds },
      { kind: 'act', propertyId: complaint.propertyId },
    );
    if (refusal) throw new ForbiddenError(refusal);
    const decision = decide(
      {
        kind: 'staff',
        groupId: caller.groupId,
        staffId: staff.record.id,
        roleLevel: staff.roleLevel,
        propertyIds: staff.record.propertyIds,
        regionId: staff.record.regionId,
        departmentKind: staff.departmentKind,
      },
      'spot_check',
      complaintResource(complaint),
    );
    if (decision.outcome === 'not_visible')
      throw new ForbiddenError(`${staff.record.name} does not see this complaint`);
    if (decision.outcome === 'denied') throw new ForbiddenError(`${staff.record.name}: ${decision.reason}`);
    return {
      kind: 'staff',
      id: staff.record.id,
      name: staff.record.name,
      viaKeyId: caller.keyId,
      viaKeyName: caller.keyName,
    };
  }
}
