import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { IntakeConfig } from '../../config';
import { ComplaintsRepository } from '../../complaints/complaints.repository';
import { attachmentProblems, contentTypeOf, filenameFor } from '../attachment-rules';
import { AttachmentsStore, type StoredAttachment } from '../attachments.store';

type Actor = StoredAttachment['uploadedBy'];

@Injectable()
export class ManageAttachments {
  constructor(
    private readonly store: AttachmentsStore,
    private readonly complaints: ComplaintsRepository,
    private readonly config: IntakeConfig,
  ) {}

  async upload(
    groupId: string,
    complaintId: string,
    file: { filename: string; contentType: string; data: Uint8Array },
    actor: Actor,
  ): Promise<StoredAttachment> {
    const problems = attachmentProblems({ ...file, size: file.data.byteLength }, this.config.attachmentMaxBytes);
    if (Object.keys(problems).length > 0) {
      throw new DomainError('invalid_argument', `invalid attachment: ${Object.keys(problems).join(', ')}`, problems);
    }
    // The declared type is the uploader's word; what is stored and served is what the bytes are.
    const contentType = contentTypeOf(file.data, file.contentType);
    if (!contentType) {
      throw new DomainError('invalid_argument', `invalid attachment: its content is not ${file.contentType}`, {
        contentType: `the file's content is not ${file.contentType} nor another accepted type`,
      });
    }
    const complaint = await this.complaintOf(groupId, complaintId);
    // Counted when stored, so uploads at the very same moment may pass it by one or two.
    if ((complaint.attachmentCount ?? 0) >= this.config.maxAttachments) {
      throw new DomainError(
        'failed_precondition',
        `complaint ${complaint.number} has ${this.config.maxAttachments} attachments, the most a complaint holds`,
        { file: `at most ${this.config.maxAttachments} attachments per complaint` },
      );
    }
    const attachment = await this.store.save(
      groupId,
      complaintId,
      { data: file.data, contentType, filename: filenameFor(file.filename, contentType) },
      actor,
    );
    await this.complaints.appendTimeline(groupId, complaintId, {
      sourceId: `attachment:${attachment.id}`,
      at: attachment.uploadedAt,
      type: 'attachment_added',
      actor,
      details: {
        attachmentId: attachment.id,
        filename: attachment.filename,
        contentType: attachment.contentType,
        size: attachment.size,
        sha256: attachment.sha256,
      },
    });
    // Counted, not incremented: FerretDB's increments are not atomic, a count is always right.
    const all = await this.store.list(groupId, complaintId);
    await this.complaints.setAttachmentCount(groupId, complaintId, all.length);
    return attachment;
  }

  async list(groupId: string, complaintId: string): Promise<StoredAttachment[]> {
    await this.complaintOf(groupId, complaintId);
    return this.store.list(groupId, complaintId);
  }

  async read(groupId: string, complaintId: string, attachmentId: string) {
    await this.complaintOf(groupId, complaintId);
    const found = await this.store.read(groupId, complaintId, attachmentId);
    if (!found) throw new NotFoundError(`attachment ${attachmentId}`);
    return found;
  }

  private async complaintOf(groupId: string, complaintId: string) {
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    return complaint;
  }
}
