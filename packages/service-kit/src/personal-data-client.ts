import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from './grpc-client';

/**
 * Intake's PersonalDataService, for the services that used to keep the complainant's data:
 * notification asks for a contact at send time, and both it and routing confirm erasures.
 */
export class PersonalDataClient extends GrpcServiceClient<v1.PersonalDataServiceClient> {
  constructor(options: { url: string; deadlineMs: number }) {
    super({
      url: options.url,
      protoFile: 'complaints/v1/personal_data.proto',
      serviceName: v1.PERSONAL_DATA_SERVICE_NAME,
      deadlineMs: options.deadlineMs,
      maxReconnectBackoffMs: 5_000,
    });
  }

  /**
   * Tells intake that `service` erased `records` records of the event's complaint. Only erasure
   * requests want a receipt; a retention erasure (no request id) is confirmed to nobody.
   * Throws when intake is away, so the event is redelivered and the confirmation retried.
   */
  async confirmErasure(event: v1.EventEnvelope, erased: v1.PersonalDataErased, service: string, records: number) {
    if (!erased.requestId) return;
    await this.call.confirmErasure({
      groupId: event.groupId,
      requestId: erased.requestId,
      complaintId: event.complaintId,
      service,
      records,
    });
  }
}
