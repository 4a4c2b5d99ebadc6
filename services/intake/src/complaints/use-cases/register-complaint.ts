import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import {
  channel,
  complainantType,
  language,
  type Channel,
  type ComplainantType,
  type Language,
} from '@complaints/domain';
import { createEvent, EventBus } from '@complaints/messaging';
import { DomainError, invalidArgument } from '@complaints/service-kit';
import { ManageDirectory } from '../../directory/use-cases/manage-directory';
import { EMPTY_HEAD } from '../../timeline/timeline.schema';
import { TimelineRepository } from '../../timeline/timeline.repository';
import { timelineEntryFor } from '../../timeline/timeline-entries';
import { ComplaintsRepository } from '../complaints.repository';
import { NO_DEADLINE, type ComplaintRecord } from '../complaint.schema';
import { searchTermsOf } from '../search/search-terms';
import { forEvent } from '../complaint.converter';
import { PersonalDataVault } from '../../personal-data/personal-data-vault';
import { formatComplaintNumber, localDay } from '../numbering/complaint-number';
import { PendingOutbox } from '../pending-outbox';
import { RetentionSchedule } from '../retention-schedule';

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
  confidentialStaffIds: string[];
  coComplainantCount: number;
  categoryHint: string;
  severityHint: string;
  involvedDepartment: string;
  involvedStaff: string;
  /** The staff member complained about, a directory id; '' when not known. */
  involvedStaffId: string;
  serviceItem: string;
  resolvedAtFirstContact: boolean;
  firstContactAnswer: string;
  /** By when the complainant asked for a resolution (SPEC §5): an earlier date shortens the resolution deadline. */
  requestedBy: Date | null;
  /** When what the complaint is about happened. */
  incidentAt: Date | null;
  /** A government referral's referring body and its own ticket number; '' when not a referral. */
  referralAgency: string;
  referralTicket: string;
  registeredBy: { kind: string; id: string; name: string };
  /** Empty: the caller sent none. */
  idempotencyKey: string;
  requestHash: string;
}

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const optionalDate = z
  .date()
  .nullable()
  .refine((date) => date === null || !Number.isNaN(date.getTime()), 'must be an RFC 3339 date-time');
/** A clock a little ahead of ours still registers an incident "just now". */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The owner of the record checks it too: gRPC callers other than the gateway exist. */
const registration = z.object({
  groupId: z.string().min(1, 'is required'),
  propertyId: z.string().min(1, 'is required'),
  channel,
  receivedAt: z
    .date({ error: 'must be an RFC 3339 date-time' })
    .refine((date) => !Number.isNaN(date.getTime()), 'must be an RFC 3339 date-time'),
  complainant: z.object({
    name: text(100).trim().min(1, 'is required'),
    contact: text(100).trim().min(1, 'is required'),
    type: complainantType,
    unit: text(100),
    anchorTenant: z.boolean(),
  }),
  location: text(500),
  description: text(10_000).trim().min(1, 'is required'),
  demand: text(5_000),
  language,
  coComplainantCount: z.number().int().min(0).max(100_000),
  involvedDepartment: text(200),
  involvedStaff: text(200),
  involvedStaffId: text(64).trim(),
  serviceItem: text(200),
  firstContactAnswer: text(5_000),
  idempotencyKey: text(300),
  confidentialStaffIds: z.array(text(64).min(1, 'is required')).max(50, 'at most 50 staff'),
  requestedBy: optionalDate,
  incidentAt: optionalDate,
  referralAgency: text(200).trim(),
  referralTicket: text(64).trim(),
});

export interface Registration {
  complaint: ComplaintRecord;
  /** An earlier request with the same idempotency key created it. */
  replayed: boolean;
}

/** How long a request waits for the complaint an earlier request with its key is registering. */
const WAIT_FOR_EARLIER_MS = 2_000;
const FIRST_POLL_MS = 25;

/**
 * Registration, every store access by `_id` (6 round trips with an Idempotency-Key, 5 without):
 * the key's document, the number's claim (and every tenth, the counter hint), the pending event, the complaint
 * (with its timeline head), its first timeline entry; the pending event's removal once
 * published is shared with the registrations of the same tenth of a second.
 */
@Injectable()
export class RegisterComplaint {
  private readonly logger = new Logger(RegisterComplaint.name);

  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly directory: ManageDirectory,
    private readonly outbox: PendingOutbox,
    private readonly timeline: TimelineRepository,
    private readonly bus: EventBus,
    private readonly vault: PersonalDataVault,
    private readonly retention: RetentionSchedule,
  ) {}

  async execute(input: RegisterComplaintInput): Promise<Registration> {
    const checked = registration.safeParse(input);
    if (!checked.success) throw invalidArgument('registration', checked.error.issues);
    if (input.requestedBy && input.requestedBy.getTime() <= input.receivedAt.getTime()) {
      throw new DomainError('invalid_argument', 'invalid registration: requestedBy must be after receivedAt', {
        requestedBy: 'must be after receivedAt',
      });
    }
    if (input.incidentAt && input.incidentAt.getTime() > input.receivedAt.getTime() + CLOCK_SKEW_MS) {
      throw new DomainError('invalid_argument', 'invalid registration: incidentAt is after receivedAt', {
        incidentAt: 'must not be after receivedAt',
      });
    }
    referralProblems(input);
    if (input.resolvedAtFirstContact && !input.firstContactAnswer.trim()) {
      throw new DomainError(
        'invalid_argument',
        'invalid registration: firstContactAnswer is required when resolved at first contact',
        {
          firstContactAnswer: 'is required when resolvedAtFirstContact is true',
        },
      );
    }
    const property = await this.directory.property(input.groupId, input.propertyId);
    if (!property) {
      throw new DomainError(
        'invalid_argument',
        `invalid registration: property ${input.propertyId} is not in this group`,
        {
          propertyId: 'is not a property of this group',
        },
      );
    }
    if (property.inactive) {
      throw new DomainError('invalid_argument', `invalid registration: property ${input.propertyId} is deactivated`, {
        propertyId: 'is deactivated: complaints about it go to the property that took over',
      });
    }
    for (const [i, staffId] of input.confidentialStaffIds.entries()) {
      if (!(await this.directory.staffExists(input.groupId, staffId))) {
        throw new DomainError('invalid_argument', `invalid registration: staff ${staffId} is not in this group`, {
          [`confidentialStaffIds.${i}`]: 'is not a staff member of this group',
        });
      }
    }
    if (input.involvedStaffId) {
      const involved = await this.directory.staffMember(input.groupId, input.involvedStaffId);
      if (!involved) {
        throw new DomainError(
          'invalid_argument',
          `invalid registration: staff ${input.involvedStaffId} is not in this group`,
          {
            involvedStaffId: 'is not a staff member of this group',
          },
        );
      }
      // The directory's name unless the desk wrote one (a name as the complainant gave it).
      input = { ...input, involvedStaff: input.involvedStaff.trim() || involved.name };
    }
    let id: string = randomUUID();
    if (input.idempotencyKey) {
      const taken = await this.complaints.takeIdempotencyKey(
        input.groupId,
        input.idempotencyKey,
        id,
        input.requestHash,
      );
      if (taken !== 'taken') {
        if (taken.requestHash !== input.requestHash) throw conflict();
        const earlier = await this.waitFor(input.groupId, taken.complaintId);
        if (earlier) return replayOf(earlier);
        // The request that took the key died before storing its complaint: register it here,
        // under the id the key names. Should that request still be alive, the complaint's
        // unique `_id` lets one of the two store it and the other answers with it.
        id = taken.complaintId;
      }
    }
    return this.register(input, property, id);
  }

  private async register(
    input: RegisterComplaintInput,
    property: { code: string; timeZone: string; regionId: string },
    id: string,
  ): Promise<Registration> {
    const now = new Date();
    const day = localDay(now, property.timeZone);
    // A number claimed by a request that then loses an idempotency race is skipped, never reused.
    const sequence = await this.complaints.nextSequence(`${input.groupId}:${property.code}:${day}`);
    // The complainant is sealed before anything is stored or published: no write holds it in the clear.
    const { idempotencyKey, complainant, ...facts } = input;
    const record: ComplaintRecord = {
      _id: id,
      number: formatComplaintNumber(property.code, day, sequence),
      status: initialStatus(input),
      ...facts,
      complainant: this.vault.seal(input.groupId, id, complainant),
      regionId: property.regionId,
      idempotencyKey: idempotencyKey || `auto:${id}`,
      category: '',
      severity: '',
      department: '',
      overdue: false,
      attachmentCount: 0,
      closedAt: input.resolvedAtFirstContact ? now : null,
      queueAt: NO_DEADLINE,
      // The referral's ticket too: staff look a referral up by the number the referring body gives.
      searchTerms: searchTermsOf(input.description, input.location, input.demand, input.referralTicket),
      eventIds: [],
      timeline: EMPTY_HEAD,
      createdAt: now,
    };
    const event = createEvent(
      'registered',
      { groupId: input.groupId, complaintId: id, occurredAt: now, idempotencyKey: `registered:${id}` },
      { complaint: forEvent(record) },
    );
    record.eventIds = [event.eventId];
    // Stored with the head of its first entry, then the entry: one write less than an append.
    const first = this.timeline.first(input.groupId, id, timelineEntryFor(event)!);
    record.timeline = first.head;

    // The event is pending before the complaint exists: a crash after the insert leaves it to
    // the outbox relay, which publishes it because the complaint names it (eventIds).
    await this.outbox.add(event);
    if (record.closedAt) await this.retention.recordClosed([id], record.closedAt);
    if ((await this.complaints.insert(record)) === 'duplicate') {
      // A request registering under an earlier request's key: that one stored it.
      const earlier = await this.complaints.findById(input.groupId, id);
      if (earlier) return replayOf(earlier);
      // A key used before keys had documents of their own: found by the old unique index, once.
      const legacy = idempotencyKey && (await this.complaints.adoptLegacyKey(input.groupId, idempotencyKey));
      if (legacy) {
        if (legacy.requestHash !== input.requestHash) throw conflict();
        return replayOf(legacy);
      }
      throw new Error(`complaint ${id} collided on a unique key that is not its idempotency key`);
    }

    // The complaint is stored with its event's id, so a failure here only delays the event and
    // the timeline entry: the outbox relay publishes it later, and intake's own consumer writes
    // the entry when the event comes by. The caller already has its number.
    try {
      await this.timeline.writeFirst(first.entry);
      await this.bus.publish(event);
      this.outbox.published(event.eventId);
    } catch (error) {
      this.logger.warn(`registered event for ${record.number} left to the outbox relay: ${String(error)}`);
    }
    return { complaint: record, replayed: false };
  }

  /** The complaint an earlier request with the same key is storing, once stored; undefined if it never is. */
  private async waitFor(groupId: string, complaintId: string): Promise<ComplaintRecord | undefined> {
    const until = Date.now() + WAIT_FOR_EARLIER_MS;
    // Backing off: a retry that arrives while the first request is still at work reads a few times, not dozens.
    for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, 400)) {
      const earlier = await this.complaints.findById(groupId, complaintId);
      if (earlier) return earlier;
      if (Date.now() + pause > until) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function conflict(): DomainError {
  return new DomainError('conflict', 'this Idempotency-Key was already used with a different request', {
    'Idempotency-Key': 'already used with a different request body',
  });
}

/** The answer the first request got: the status it was registered with, not today's. */
function replayOf(earlier: ComplaintRecord): Registration {
  return { complaint: { ...earlier, status: initialStatus(earlier) }, replayed: true };
}

function initialStatus(registration: { resolvedAtFirstContact: boolean }): 'closed' | 'registered' {
  return registration.resolvedAtFirstContact ? 'closed' : 'registered';
}

/** A referral's body and ticket come together, and only with a government referral. */
function referralProblems(input: RegisterComplaintInput): void {
  const given = { referralAgency: input.referralAgency.trim(), referralTicket: input.referralTicket.trim() };
  if (!given.referralAgency && !given.referralTicket) return;
  if (input.channel !== 'government_referral') {
    throw new DomainError('invalid_argument', 'invalid registration: a referral ticket is for government referrals', {
      [given.referralTicket ? 'referralTicket' : 'referralAgency']: 'only with channel government_referral',
    });
  }
  for (const [field, value] of Object.entries(given)) {
    if (!value) {
      throw new DomainError('invalid_argument', `invalid registration: ${field} is required with a referral`, {
        [field]: 'is required when the other referral field is given',
      });
    }
  }
}
