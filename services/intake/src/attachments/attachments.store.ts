import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { mongo, type Connection } from 'mongoose';

export interface StoredAttachment {
  id: string;
  groupId: string;
  complaintId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedAt: Date;
  uploadedBy: { kind: string; id: string; name: string };
}

interface AttachmentMetadata {
  groupId: string;
  complaintId: string;
  contentType: string;
  sha256: string;
  uploadedBy: { kind: string; id: string; name: string };
}

/** Attachment content in MongoDB GridFS (bucket `attachments`), described by its metadata. */
@Injectable()
export class AttachmentsStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private bucket(): mongo.GridFSBucket {
    if (!this.connection.db) throw new Error('MongoDB connection is not open');
    return new mongo.GridFSBucket(this.connection.db, { bucketName: 'attachments' });
  }

  async save(
    groupId: string,
    complaintId: string,
    file: { filename: string; contentType: string; data: Uint8Array },
    uploadedBy: StoredAttachment['uploadedBy'],
  ): Promise<StoredAttachment> {
    const sha256 = createHash('sha256').update(file.data).digest('hex');
    const metadata: AttachmentMetadata = { groupId, complaintId, contentType: file.contentType, sha256, uploadedBy };
    const upload = this.bucket().openUploadStream(file.filename, { metadata });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(Buffer.from(file.data));
    });
    return {
      id: upload.id.toHexString(),
      groupId,
      complaintId,
      filename: file.filename,
      contentType: file.contentType,
      size: file.data.byteLength,
      sha256,
      uploadedAt: new Date(),
      uploadedBy,
    };
  }

  async list(groupId: string, complaintId: string): Promise<StoredAttachment[]> {
    const files = await this.bucket()
      .find({ 'metadata.groupId': groupId, 'metadata.complaintId': complaintId })
      .sort({ uploadDate: 1 })
      .toArray();
    return files.map(toStored);
  }

  /** The attachment and its content, or undefined when it is not this complaint's. */
  async read(
    groupId: string,
    complaintId: string,
    id: string,
  ): Promise<{ attachment: StoredAttachment; data: Buffer } | undefined> {
    if (!mongo.ObjectId.isValid(id)) return undefined;
    const objectId = new mongo.ObjectId(id);
    const [file] = await this.bucket()
      .find({ _id: objectId, 'metadata.groupId': groupId, 'metadata.complaintId': complaintId })
      .toArray();
    if (!file) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket().openDownloadStream(objectId)) chunks.push(chunk as Buffer);
    return { attachment: toStored(file), data: Buffer.concat(chunks) };
  }
}

function toStored(file: mongo.GridFSFile): StoredAttachment {
  const metadata = file.metadata as AttachmentMetadata;
  return {
    id: file._id.toHexString(),
    groupId: metadata.groupId,
    complaintId: metadata.complaintId,
    filename: file.filename,
    contentType: metadata.contentType,
    size: file.length,
    sha256: metadata.sha256,
    uploadedAt: file.uploadDate,
    uploadedBy: metadata.uploadedBy,
  };
}
