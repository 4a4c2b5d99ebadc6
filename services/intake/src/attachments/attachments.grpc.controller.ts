import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { actorOf } from '@complaints/service-kit';
import type { StoredAttachment } from './attachments.store';
import { ManageAttachments } from './use-cases/manage-attachments';

function toProto(attachment: StoredAttachment): v1.Attachment {
  return {
    id: attachment.id,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
    sha256: attachment.sha256,
    uploadedAt: attachment.uploadedAt.toISOString(),
    uploadedBy: { ...attachment.uploadedBy },
  };
}

@Controller()
@v1.AttachmentServiceControllerMethods()
export class AttachmentsGrpcController implements v1.AttachmentServiceController {
  constructor(private readonly attachments: ManageAttachments) {}

  async uploadAttachment(request: v1.UploadAttachmentRequest): Promise<v1.UploadAttachmentResponse> {
    const attachment = await this.attachments.upload(
      request.groupId,
      request.complaintId,
      { filename: request.filename, contentType: request.contentType, data: request.data },
      actorOf(request.actor),
    );
    return { attachment: toProto(attachment) };
  }

  async listAttachments(request: v1.ListAttachmentsRequest): Promise<v1.ListAttachmentsResponse> {
    return { attachments: (await this.attachments.list(request.groupId, request.complaintId)).map(toProto) };
  }

  async getAttachment(request: v1.GetAttachmentRequest): Promise<v1.GetAttachmentResponse> {
    const { attachment, data } = await this.attachments.read(
      request.groupId,
      request.complaintId,
      request.attachmentId,
    );
    return { attachment: toProto(attachment), data };
  }
}
