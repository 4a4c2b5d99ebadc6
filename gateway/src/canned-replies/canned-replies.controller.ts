import { Body, Controller, Get, Put } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { InjectModel } from '@nestjs/mongoose';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Caller, callerId } from '../auth/caller';
import { ApiZodBody } from '../openapi/zod-schemas';
import { ZodBody } from '../problems/zod-body.pipe';
import { CannedRepliesRecord } from './canned-replies.schema';

const cannedRepliesBody = z.object({
  replies: z
    .array(z.string().trim().min(1).max(500))
    .max(50)
    .describe('the group’s first replies, in the order staff see them; `{number}` stands for the complaint number'),
});
type CannedRepliesBody = z.infer<typeof cannedRepliesBody>;

/**
 * The group's canned first replies (SPEC §4: acknowledge with a first reply). Kept by the gateway:
 * they are wording for the people answering, which no service's rules depend on.
 */
@ApiTags('canned replies')
@Controller('v1')
export class CannedRepliesController {
  constructor(@InjectModel(CannedRepliesRecord.name) private readonly records: Model<CannedRepliesRecord>) {}

  @Get('canned-replies')
  @ApiOperation({ summary: 'The group’s canned first replies' })
  @ApiOkResponse({ description: '`{ replies }` (empty until the group sets some)' })
  async list(@Caller() caller: Caller): Promise<CannedRepliesBody> {
    const record = await this.records.findById(caller.groupId).lean<CannedRepliesRecord>();
    return { replies: record?.replies ?? [] };
  }

  @Put('admin/canned-replies')
  @Audited<CannedRepliesController>('canned_replies', (c, caller) => c.list(caller))
  @AdminOnly('manage_policies')
  @ApiOperation({ summary: 'Replace the group’s canned first replies' })
  @ApiZodBody('CannedReplies', cannedRepliesBody)
  @ApiOkResponse({ description: '`{ replies }` as stored' })
  async replace(
    @Caller() caller: Caller,
    @Body(new ZodBody(cannedRepliesBody)) body: CannedRepliesBody,
  ): Promise<CannedRepliesBody> {
    await this.records.updateOne(
      { _id: caller.groupId },
      { $set: { replies: body.replies, updatedAt: new Date(), updatedBy: callerId(caller) } },
      { upsert: true },
    );
    return { replies: body.replies };
  }
}
