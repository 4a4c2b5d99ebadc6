import { status } from '@grpc/grpc-js';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';
import type { Attachment } from '../channels/channel';
import type { ReportFiles } from '../channels/channel-senders';

/** Reporting's gRPC: the stored scheduled reports whose files report deliveries carry. */
export class ReportingClient extends GrpcServiceClient<v1.ReportingServiceClient> implements ReportFiles {
  constructor(options: { url: string; deadlineMs: number }) {
    super({
      url: options.url,
      protoFile: 'complaints/v1/reporting.proto',
      serviceName: v1.REPORTING_SERVICE_NAME,
      deadlineMs: options.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    });
  }

  async xlsx(groupId: string, reportId: string): Promise<Attachment | null> {
    try {
      const { file } = await this.call.getStoredReport({
        groupId,
        reportId,
        periodKind: '',
        periodKey: '',
        format: 'xlsx',
      });
      if (!file) throw new Error('reporting answered without the file');
      return { fileName: file.fileName, contentType: file.contentType, content: Buffer.from(file.content) };
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === status.NOT_FOUND)
        return null;
      throw error;
    }
  }
}
