import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';

/** Notification's gRPC: a stored scheduled report is handed over to be mailed to its scope's heads. */
export class NotificationClient extends GrpcServiceClient<v1.NotificationServiceClient> {
  constructor(options: { url: string; deadlineMs: number }) {
    super({
      url: options.url,
      protoFile: 'complaints/v1/notification.proto',
      serviceName: v1.NOTIFICATION_SERVICE_NAME,
      deadlineMs: options.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    });
  }
}
