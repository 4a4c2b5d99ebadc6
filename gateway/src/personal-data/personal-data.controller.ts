import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { PERSONAL_DATA_FIELDS } from '@complaints/domain';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerActor } from '../auth/caller';
import { ComplaintScope } from '../complaints/complaint-scope';
import { PersonalDataClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';

const revealBody = z.object({
  fields: z.array(z.enum(PERSONAL_DATA_FIELDS)).min(1).describe('which of name, contact, unit'),
  reason: z.string().trim().min(4).max(1000).describe('why they are needed; written to the access log'),
});
const accessLogQuery = z.object({
  complaintId: z.string().min(1).optional(),
  actorId: z.string().min(1).optional().describe('the API key id (or staff id) that viewed'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const erasureBody = z.object({
  contact: z.string().trim().min(1).max(200).describe('the phone, email or wechat:<openid> the complainant gave'),
});

function toAccessLogView(entry: v1.AccessLogEntry) {
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actor,
    complaintId: entry.complaintId,
    complaintNumber: entry.complaintNumber,
    fields: entry.fields,
    reason: entry.reason,
  };
}

function toReceiptView(receipt: v1.ErasureReceipt | undefined) {
  if (!receipt) throw new Error('intake answered without the receipt');
  return {
    id: receipt.id,
    requestedAt: receipt.requestedAt,
    requestedBy: receipt.requestedBy,
    complaintIds: receipt.complaintIds,
    confirmations: receipt.confirmations.map((confirmation) => ({
      ...confirmation,
      confirmedAt: confirmation.confirmedAt || null,
    })),
    complete: receipt.complete,
  };
}

/**
 * The complainant's personal data (SPEC §9): every complaint view masks it; here it is revealed
 * (with a reason, into the access log), the access log is read, and erasure is requested. Who may
 * is decided by the access policy (access/policy.ts).
 */
@ApiTags('personal data')
@Controller('v1')
export class PersonalDataController {
  constructor(
    private readonly personalData: PersonalDataClient,
    private readonly scope: ComplaintScope,
  ) {}

  @Post('complaints/:id/personal-data/reveal')
  @HttpCode(200)
  @ApiOperation({ summary: 'The complainant’s name, contact or unit in the clear; the view is logged with its reason' })
  @ApiZodBody('RevealPersonalData', revealBody)
  @ApiOkResponse({ description: 'The fields asked for, and the access-log entry written.' })
  @ApiProblems('not-found', 'forbidden', 'conflict')
  async reveal(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Body(new ZodBody(revealBody)) body: z.infer<typeof revealBody>,
  ) {
    await this.scope.complaintFor(caller, id, 'reveal_personal_data');
    const revealed = await this.personalData.call.revealPersonalData({
      groupId: caller.groupId,
      complaintId: id,
      fields: body.fields,
      reason: body.reason,
      actor: callerActor(caller),
    });
    const values = Object.fromEntries(body.fields.map((field) => [field, revealed[field]]));
    return { complaintId: id, ...values, accessLogEntry: revealed.entry ? toAccessLogView(revealed.entry) : null };
  }

  @Get('admin/access-log')
  @AdminOnly('audit_access_log')
  @ApiOperation({ summary: 'Who viewed which personal data, when and why (调阅记录), newest first' })
  @ApiZodQuery(accessLogQuery)
  @ApiOkResponse({ description: 'A page of entries and the cursor of the next one (null on the last).' })
  @ApiProblems('forbidden')
  async accessLog(@Caller() caller: Caller, @Query(new ZodBody(accessLogQuery)) query: z.infer<typeof accessLogQuery>) {
    const page = await this.personalData.call.listAccessLog({
      groupId: caller.groupId,
      complaintId: query.complaintId ?? '',
      actorId: query.actorId ?? '',
      from: query.from ?? '',
      to: query.to ?? '',
      cursor: query.cursor ?? '',
      limit: query.limit,
    });
    return { items: page.entries.map(toAccessLogView), nextCursor: page.nextCursor || null };
  }

  @Post('admin/erasure-requests')
  @AdminOnly('erase_personal_data')
  @HttpCode(202)
  @ApiOperation({ summary: 'Erase one complainant’s personal data in every service; answers the receipt' })
  @ApiZodBody('ErasureRequest', erasureBody)
  @ApiResponse({ status: 202, description: 'Intake erased its copies; the receipt completes as the services confirm.' })
  @ApiProblems('forbidden')
  async requestErasure(@Caller() caller: Caller, @Body(new ZodBody(erasureBody)) body: z.infer<typeof erasureBody>) {
    const { receipt } = await this.personalData.call.requestErasure({
      groupId: caller.groupId,
      contact: body.contact,
      actor: callerActor(caller),
    });
    return toReceiptView(receipt);
  }

  @Get('admin/erasure-requests/:id')
  @AdminOnly('erase_personal_data')
  @ApiOperation({
    summary: 'The receipt of an erasure request: each service’s confirmation, complete when all confirmed',
  })
  @ApiOkResponse({ description: 'The receipt.' })
  @ApiProblems('forbidden', 'not-found')
  async erasureReceipt(@Caller() caller: Caller, @Param('id') id: string) {
    const { receipt } = await this.personalData.call.getErasureRequest({ groupId: caller.groupId, requestId: id });
    return toReceiptView(receipt);
  }
}
