import { Controller, Get, HttpCode, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { Caller, callerActor } from '../auth/caller';
import { AttachmentClient } from '../grpc/grpc-clients';
import { ApiProblems } from '../openapi/problem-responses';
import { ApiZodResponse } from '../openapi/zod-schemas';
import { ValidationProblem } from '../problems/errors';
import { ComplaintScope } from './complaint-scope';

const attachmentView = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string().describe('hex SHA-256 of the content, recorded at upload'),
  uploadedAt: z.string(),
  uploadedBy: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
});

/** Evidence of a complaint (SPEC §2): photos, recordings, documents. */
@ApiTags('complaints')
@Controller('v1/complaints/:id/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentClient,
    private readonly scope: ComplaintScope,
  ) {}

  @Post()
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Attach a photo, recording or document (multipart field `file`)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiZodResponse(201, 'Attachment', attachmentView, 'Stored, with its checksum.')
  @ApiProblems('validation-error', 'not-found', 'payload-too-large')
  async upload(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    if (!file) throw new ValidationProblem([{ name: 'file', reason: 'send the content as multipart field "file"' }]);
    await this.scope.complaintFor(caller, id, 'act');
    const { attachment } = await this.attachments.call.uploadAttachment({
      groupId: caller.groupId,
      complaintId: id,
      // Multer reads the part's filename as latin1; browsers and curl send UTF-8.
      filename: Buffer.from(file.originalname, 'latin1').toString('utf8'),
      contentType: file.mimetype,
      data: file.buffer,
      actor: callerActor(caller),
    });
    return attachment;
  }

  @Get()
  @ApiOperation({ summary: "List a complaint's attachments" })
  @ApiZodResponse(200, 'AttachmentList', z.object({ items: z.array(attachmentView) }), 'Oldest first.')
  @ApiProblems('not-found')
  async list(@Caller() caller: Caller, @Param('id') id: string) {
    await this.scope.complaintFor(caller, id);
    const { attachments } = await this.attachments.call.listAttachments({ groupId: caller.groupId, complaintId: id });
    return { items: attachments };
  }

  @Get(':attachmentId')
  @ApiOperation({ summary: 'Download an attachment' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description:
      'The content, with its type; `ETag` and `Repr-Digest` (RFC 9530) carry the SHA-256 recorded at upload.',
  })
  @ApiProblems('not-found')
  async download(
    @Caller() caller: Caller,
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @Res() response: Response,
  ): Promise<void> {
    await this.scope.complaintFor(caller, id);
    const { attachment, data } = await this.attachments.call.getAttachment({
      groupId: caller.groupId,
      complaintId: id,
      attachmentId,
    });
    if (!attachment) throw new Error('intake answered without the attachment');
    response
      .status(200)
      .type(attachment.contentType)
      .setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`)
      .setHeader('ETag', `"${attachment.sha256}"`)
      .setHeader('Repr-Digest', `sha-256=:${Buffer.from(attachment.sha256, 'hex').toString('base64')}:`)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .send(Buffer.from(data));
  }
}
