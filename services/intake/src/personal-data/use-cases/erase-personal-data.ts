import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { createEvent, EventBus } from '@complaints/messaging';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { ComplaintsRepository } from '../../complaints/complaints.repository';
import { PendingOutbox } from '../../complaints/pending-outbox';
import { timelineEntryFor } from '../../timeline/timeline-entries';
import { PersonalDataKeyRing } from '../key-ring';
import type { ErasureConfirmationRecord, ErasureRequestRecord } from '../personal-data.schema';
import { PersonalDataRepository } from '../personal-data.repository';

type Actor = { kind: string; id: string; name: string };

/**
 * The services holding something of a complaint's complainant, each of which confirms an erasure
 * request. Escalation (workflow input: the routed event, no personal data) and reporting (facts
 * only) hold none, so they are not asked.
 */
export const ERASING_SERVICES = ['intake', 'routing', 'notification'] as const;

export interface ErasureReceipt {
  request: ErasureRequestRecord;
  confirmations: {
    service: string;
    complaints: number;
    records: number;
    confirmedAt: Date | null;
    complete: boolean;
  }[];
  complete: boolean;
}

/**
 * Erasing a complaint's personal data: intake's copy at once, in the same write as the
 * `personal_data_erased` event that tells routing and notification to erase theirs. Used by
 * erasure requests and by the retention pass.
 */
@Injectable()
export class ErasePersonalData {
  private readonly logger = new Logger(ErasePersonalData.name);

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly outbox: PendingOutbox,
    private readonly bus: EventBus,
  ) {}

  /** False when it was erased already (by another replica, an earlier request, or retention). */
  async eraseComplaint(
    groupId: string,
    complaintId: string,
    reason: 'request' | 'retention',
    requestId = '',
  ): Promise<boolean> {
    const at = new Date();
    const event = createEvent(
      'personal_data_erased',
      // One erasure per complaint and request: a retried request publishes the same event id.
      { groupId, complaintId, occurredAt: at, idempotencyKey: `personal_data_erased:${complaintId}:${requestId}` },
      { requestId, reason },
    );
    // Pending before the erasure, as every change of intake's: see ChangeComplaint.
    await this.outbox.add(event);
    const erased = await this.complaints.erasePersonalData(
      groupId,
      complaintId,
      at,
      event.eventId,
      timelineEntryFor(event)!,
    );
    if (!erased && !requestId) {
      await this.outbox.remove(event.eventId);
      return false;
    }
    // Already erased but part of a request: the other services are still asked, so that the
    // receipt can complete (their erasure is idempotent).
    try {
      await this.bus.publish(event);
      await this.outbox.remove(event.eventId);
    } catch (error) {
      // Stored with the erasure: the relay publishes it.
      if (!erased) throw error;
      this.logger.warn(`personal_data_erased of ${complaintId} left to the outbox relay: ${String(error)}`);
    }
    return erased;
  }
}

/** Erasure requests (one complainant, every service) and their receipts. */
@Injectable()
export class RequestErasure {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly ring: PersonalDataKeyRing,
    private readonly erase: ErasePersonalData,
    private readonly repository: PersonalDataRepository,
  ) {}

  async request(groupId: string, contact: string, actor: Actor): Promise<ErasureReceipt> {
    if (!contact.trim() || contact.length > 200) {
      throw new DomainError('invalid_argument', 'invalid erasure request: contact is required', {
        contact: 'is required (the phone, email or wechat:<openid> the complainant gave)',
      });
    }
    const complaintIds = await this.complaints.idsByComplainantKey(groupId, this.ring.blindIndex(groupId, contact));
    const request: ErasureRequestRecord = {
      _id: randomUUID(),
      groupId,
      requestedAt: new Date(),
      requestedBy: actor,
      complaintIds,
    };
    // Stored before erasing, so the receipt names every complaint even if this process stops halfway;
    // reading the receipt finishes what is missing (see `receipt`).
    await this.repository.createRequest(request);
    for (const complaintId of complaintIds) await this.eraseOne(request, complaintId);
    return this.receipt(groupId, request._id);
  }

  async receipt(groupId: string, requestId: string): Promise<ErasureReceipt> {
    const request = await this.repository.findRequest(groupId, requestId);
    if (!request) throw new NotFoundError(`erasure request ${requestId}`);
    let confirmations = await this.repository.confirmationsOf(groupId, requestId);
    const confirmedByIntake = new Set(confirmations.filter((c) => c.service === 'intake').map((c) => c.complaintId));
    const missing = request.complaintIds.filter((id) => !confirmedByIntake.has(id));
    if (missing.length > 0) {
      for (const complaintId of missing) await this.eraseOne(request, complaintId);
      confirmations = await this.repository.confirmationsOf(groupId, requestId);
    }
    return summarise(request, confirmations);
  }

  async confirm(confirmation: Omit<ErasureConfirmationRecord, '_id' | 'at'>): Promise<void> {
    const request = await this.repository.findRequest(confirmation.groupId, confirmation.requestId);
    if (!request) throw new NotFoundError(`erasure request ${confirmation.requestId}`);
    if (!request.complaintIds.includes(confirmation.complaintId)) {
      throw new DomainError('invalid_argument', `complaint ${confirmation.complaintId} is not part of this request`, {
        complaintId: 'is not part of this erasure request',
      });
    }
    await this.repository.confirm({
      ...confirmation,
      _id: `${confirmation.requestId}:${confirmation.service}:${confirmation.complaintId}`,
      at: new Date(),
    });
  }

  private async eraseOne(request: ErasureRequestRecord, complaintId: string): Promise<void> {
    const erased = await this.erase.eraseComplaint(request.groupId, complaintId, 'request', request._id);
    await this.confirm({
      groupId: request.groupId,
      requestId: request._id,
      service: 'intake',
      complaintId,
      // The complaint record; 0 when an earlier erasure had emptied it already.
      records: erased ? 1 : 0,
    });
  }
}

function summarise(request: ErasureRequestRecord, confirmations: ErasureConfirmationRecord[]): ErasureReceipt {
  const wanted = new Set(request.complaintIds);
  const perService = ERASING_SERVICES.map((service) => {
    const mine = confirmations.filter((c) => c.service === service && wanted.has(c.complaintId));
    const at = mine.map((c) => new Date(c.at).getTime());
    return {
      service,
      complaints: mine.length,
      records: mine.reduce((sum, c) => sum + c.records, 0),
      confirmedAt: at.length > 0 ? new Date(Math.max(...at)) : null,
      complete: mine.length === wanted.size,
    };
  });
  return { request, confirmations: perService, complete: perService.every((c) => c.complete) };
}
