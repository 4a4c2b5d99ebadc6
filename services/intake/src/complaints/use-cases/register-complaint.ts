import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  channel,
  complainantType,
  language,
  type Channel,
  type ComplainantType,
  type Language,
} from '@complaints/domain';
import { createEvent, EventBus } from '@complaints/messaging';
import { v1 } from '@complaints/contracts';
import { DomainError } from '@complaints/service-kit';
import { ComplaintsRepository } from '../complaints.repository';
import type { ComplaintRecord } from '../complaint.schema';
import { formatComplaintNumber, localDay, propertyCodeOf } from '../numbering/complaint-number';
import { toProtoComplaint } from '../complaint.converter';

export interface RegisterComplaintInput {
  groupId: string;
  propertyId: string;
  channel: Channel;
  receivedAt: Date;
  complainant: { name: string; contact: string; type: ComplainantType; unit: string; anchorTenant: boolean };
  location: string;
  description: string;
  demand: string;
  language: Language;
  confidential: boolean;
  coComplainantCount: number;
  categoryHint: string;
  severityHint: string;
}

/** Until properties carry their own time zone (master data), every property is in China. */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

@Injectable()
export class RegisterComplaint {
  private readonly logger = new Logger(RegisterComplaint.name);

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly bus: EventBus,
  ) {}

  async execute(input: RegisterComplaintInput): Promise<ComplaintRecord> {
    assertValid(input);
    const now = new Date();
    const code = propertyCodeOf(input.propertyId);
    const day = localDay(now, DEFAULT_TIME_ZONE);
    const sequence = await this.complaints.nextSequence(`${input.groupId}:${code}:${day}`);
    const id = randomUUID();

    const record: ComplaintRecord = {
      _id: id,
      number: formatComplaintNumber(code, day, sequence),
      status: 'registered',
      ...input,
      outbox: [],
      createdAt: now,
    };
    const event = createEvent(
      'registered',
      { groupId: input.groupId, complaintId: id, occurredAt: now, idempotencyKey: `registered:${id}` },
      { complaint: toProtoComplaint(record) },
    );
    record.outbox = [{ eventId: event.eventId, envelope: Buffer.from(v1.EventEnvelope.encode(event).finish()) }];
    await this.complaints.insert(record);

    // The complaint is stored with its event, so a failure here only delays the event:
    // the outbox relay publishes it later. The caller already has its number.
    try {
      await this.bus.publish(event);
      await this.complaints.clearOutbox(input.groupId, id, record.outbox.length);
    } catch (error) {
      this.logger.warn(`registered event for ${record.number} left to the outbox relay: ${String(error)}`);
    }
    return record;
  }
}

function assertValid(input: RegisterComplaintInput): void {
  const problems: Record<string, string> = {};
  if (!input.groupId) problems.groupId = 'is required';
  if (!input.propertyId) problems.propertyId = 'is required';
  if (!channel.safeParse(input.channel).success) problems.channel = `must be one of ${channel.options.join(', ')}`;
  if (!complainantType.safeParse(input.complainant.type).success)
    problems['complainant.type'] = `must be one of ${complainantType.options.join(', ')}`;
  if (!language.safeParse(input.language).success) problems.language = `must be one of ${language.options.join(', ')}`;
  if (!input.description.trim()) problems.description = 'is required';
  if (Number.isNaN(input.receivedAt.getTime())) problems.receivedAt = 'must be an RFC 3339 date-time';
  if (Object.keys(problems).length > 0) {
    throw new DomainError(
      'invalid_argument',
      `invalid registration: ${Object.entries(problems)
        .map(([field, problem]) => `${field} ${problem}`)
        .join('; ')}`,
      problems,
    );
  }
}
