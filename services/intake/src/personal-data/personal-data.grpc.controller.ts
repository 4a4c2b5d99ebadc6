import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { actorOf } from '@complaints/service-kit';
import type { AccessLogRecord } from './personal-data.schema';
import { RequestErasure, type ErasureReceipt } from './use-cases/erase-personal-data';
import { RevealPersonalData } from './use-cases/reveal-personal-data';

const optionalDate = (value: string) => (value ? new Date(value) : undefined);

function toProtoEntry(entry: AccessLogRecord): v1.AccessLogEntry {
  return {
    id: entry._id,
    at: new Date(entry.at).toISOString(),
    actor: { ...entry.actor },
    complaintId: entry.complaintId,
    complaintNumber: entry.complaintNumber,
    fields: entry.fields,
    reason: entry.reason,
  };
}

function toProtoReceipt(receipt: ErasureReceipt): v1.ErasureReceipt {
  return {
    id: receipt.request._id,
    groupId: receipt.request.groupId,
    requestedAt: new Date(receipt.request.requestedAt).toISOString(),
    requestedBy: { ...receipt.request.requestedBy },
    complaintIds: receipt.request.complaintIds,
    confirmations: receipt.confirmations.map((confirmation) => ({
      service: confirmation.service,
      complaints: confirmation.complaints,
      records: confirmation.records,
      confirmedAt: confirmation.confirmedAt?.toISOString() ?? '',
      complete: confirmation.complete,
    })),
    complete: receipt.complete,
  };
}

@Controller()
@v1.PersonalDataServiceControllerMethods()
export class PersonalDataGrpcController implements v1.PersonalDataServiceController {
  constructor(
    private readonly reveal: RevealPersonalData,
    private readonly erasure: RequestErasure,
  ) {}

  async revealPersonalData(request: v1.RevealPersonalDataRequest): Promise<v1.RevealPersonalDataResponse> {
    const { values, entry } = await this.reveal.reveal(request.groupId, request.complaintId, {
      fields: request.fields,
      reason: request.reason,
      actor: actorOf(request.actor),
    });
    return {
      name: values.name ?? '',
      contact: values.contact ?? '',
      unit: values.unit ?? '',
      entry: toProtoEntry(entry),
    };
  }

  async listAccessLog(request: v1.ListAccessLogRequest): Promise<v1.ListAccessLogResponse> {
    const page = await this.reveal.accessLog(
      request.groupId,
      {
        complaintId: request.complaintId || undefined,
        actorId: request.actorId || undefined,
        from: optionalDate(request.from),
        to: optionalDate(request.to),
      },
      { cursor: request.cursor || undefined, limit: request.limit },
    );
    return { entries: page.entries.map(toProtoEntry), nextCursor: page.nextCursor ?? '' };
  }

  async getComplainantContact(request: v1.GetComplainantContactRequest): Promise<v1.GetComplainantContactResponse> {
    const contact = await this.reveal.contactFor(request.groupId, request.complaintId);
    return { contact: contact ?? '', erased: contact === null };
  }

  async requestErasure(request: v1.RequestErasureRequest): Promise<v1.RequestErasureResponse> {
    return {
      receipt: toProtoReceipt(await this.erasure.request(request.groupId, request.contact, actorOf(request.actor))),
    };
  }

  async getErasureRequest(request: v1.GetErasureRequestRequest): Promise<v1.GetErasureRequestResponse> {
    return { receipt: toProtoReceipt(await this.erasure.receipt(request.groupId, request.requestId)) };
  }

  async confirmErasure(request: v1.ConfirmErasureRequest): Promise<v1.ConfirmErasureResponse> {
    await this.erasure.confirm({
      groupId: request.groupId,
      requestId: request.requestId,
      complaintId: request.complaintId,
      service: request.service,
      records: request.records,
    });
    return {};
  }
}
