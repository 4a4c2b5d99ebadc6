import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CONSEQUENCE_MEASURES, staffConsequence } from '@complaints/domain';
import { actingStaffOf } from '../access/acting-staff';
import { Caller } from '../auth/caller';
import { StaffDirectory } from '../auth/staff-directory';
import { decide } from '../access/policy';
import { ComplaintScope, complaintResource } from '../complaints/complaint-scope';
import { ForbiddenError } from '../problems/errors';
import { toComplaintView } from '../complaints/complaint.view';
import { IntakeClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';

const MEASURES = Object.entries(CONSEQUENCE_MEASURES)
  .map(([measure, { kind, least }]) => `\`${measure}\` (${kind}, ${least} or above)`)
  .join(', ');

const consequenceBody = staffConsequence.extend({
  decidedBy: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('the staff member deciding (required with an API key; a signed-in staff member decides as themselves)'),
});
type ConsequenceBody = z.infer<typeof consequenceBody>;

/**
 * Rewards and penalties decided after a complaint about a staff member (奖惩): the half-yearly
 * evaluation counts them per staff member (reports' `involvedStaff` breakdown).
 */
@ApiTags('complaints')
@Controller('v1/complaints/:id/staff-consequences')
export class StaffConsequencesController {
  constructor(
    private readonly intake: IntakeClient,
    private readonly scope: ComplaintScope,
    private readonly directory: StaffDirectory,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Record a reward or penalty decided for a staff member after the complaint',
    description:
      `Once the complaint is resolved (also after it closed). Each measure needs a level, and the decider must be above the colleague: ${MEASURES}. ` +
      '`amount` (yuan) goes with bonus and performance_deduction only. On the timeline as `staff_consequence`.',
  })
  @ApiZodBody('StaffConsequence', consequenceBody)
  @ApiResponse({ status: 201, description: 'The complaint with its rewards and penalties.' })
  @ApiProblems('not-found', 'conflict', 'forbidden', 'validation-error')
  async record(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(consequenceBody)) body: ConsequenceBody,
  ) {
    const complaint = await this.scope.complaintFor(caller, id, 'approve');
    const decider = await actingStaffOf(this.directory, caller, body.decidedBy, {
      kind: 'approve',
      propertyId: complaint.propertyId,
    });
    const staff = caller.kind === 'staff' ? null : await this.directory.staff(caller.groupId, decider);
    if (staff) {
      // A key deciding for a named staff member meets what that member signed in would: the
      // complaint in their scope and their department's (or above department level).
      const named = {
        kind: 'staff' as const,
        groupId: caller.groupId,
        staffId: decider,
        roleLevel: staff.roleLevel,
        propertyIds: staff.record.propertyIds,
        regionId: staff.record.regionId,
        departmentKind: staff.departmentKind,
      };
      const decision = decide(named, 'approve', complaintResource(complaint));
      if (decision.outcome !== 'allowed') {
        throw new ForbiddenError(
          `${staff.record.name} may not decide on this complaint: ${decision.outcome === 'denied' ? decision.reason : 'it is outside their scope'}`,
        );
      }
    }
    const { complaint: changed } = await this.intake.call.recordStaffConsequence({
      groupId: caller.groupId,
      complaintId: id,
      actor:
        caller.kind === 'staff'
          ? { kind: 'staff', id: caller.staffId, name: caller.name }
          : {
              kind: 'staff',
              id: decider,
              name: staff?.record.name ?? decider,
              viaKeyId: caller.keyId,
              viaKeyName: caller.keyName,
            },
      staffId: body.staffId,
      measure: body.measure,
      amount: body.amount ?? '',
      reason: body.reason,
    });
    if (!changed) throw new Error('intake answered without a complaint');
    return toComplaintView(changed);
  }
}
