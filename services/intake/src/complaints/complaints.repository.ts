import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import type { FilterQuery, Model, mongo, UpdateQuery } from 'mongoose';
import type { Status } from '@complaints/domain';
import { isDuplicateKeyError, PerKeyQueue } from '@complaints/service-kit';
import { EMPTY_HEAD, type TimelineEntryRecord } from '../timeline/timeline.schema';
import { TimelineRepository, type NewTimelineEntry } from '../timeline/timeline.repository';
import {
  ComplaintRecord,
  IdempotencyRecord,
  NumberClaim,
  NumberCounter,
  type SealedRecord,
  type SpotCheckField,
  type StaffConsequenceRecord,
} from './complaint.schema';
import { RetentionSchedule } from './retention-schedule';
import { searchTermsOf, withTerms } from './search/search-terms';
/** Statuses after which nothing more happens to a complaint. */
export const FINAL_STATUSES: readonly Status[] = ['closed', 'withdrawn', 'merged'];

export interface ComplaintFilter {
  propertyScope: string[];
  regionScope: string[];
  /** Set: confidential complaints only where this staff is named, registered or handles them, or this partner registered them. */
  confidentialViewer?: { staffId: string; actorId: string };
  propertyIds: string[];
  regionIds: string[];
  statuses: string[];
  severities: string[];
  categories: string[];
  channels: string[];
  receivedFrom?: Date;
  receivedTo?: Date;
  overdueOnly: boolean;
  /** Complaints this staff member handles or owns (first contact). */
  mineOf?: string;
  /** Complaints waiting for a decision of one of these role levels. */
  approvalLevels?: string[];
  departmentIds?: string[];
  /** A number or its beginning, a complainant's blind index, or words (search/search-terms.ts). */
  search?: { numberPrefix: string; complainantKey: string; terms: string[] };
  /** `received`: newest first; `deadline`: nearest running deadline first. */
  sort?: ListOrder;
}

export type ListOrder = 'received' | 'deadline';

/** Where the previous page ended: the sort key (receivedAt or queueAt) and the id. */
export interface PageCursor {
  at: Date;
  id: string;
}

/** A complaint stored before personal data was sealed (see MaintainPersonalData.sealPass). */
export interface LegacyComplaint {
  _id: string;
  groupId: string;
  complainant: { name?: string; contact: string; unit?: string };
}

/** A complaint stored with events not yet published, by the version before `pending_outbox`. */
export interface LegacyOutbox {
  _id: string;
  groupId: string;
  outbox: { eventId: string; envelope: Buffer | mongo.Binary }[];
}

/** Where such a record keeps the complainant in the clear. */
const PLAINTEXT_FIELDS = { 'complainant.name': 1, 'complainant.contact': 1, 'complainant.unit': 1 } as const;

/** What a change of the record sets, decided in code from the record as read. */
type DecidedField =
  | 'status'
  | 'closedAt'
  | 'category'
  | 'severity'
  | 'department'
  | 'overdue'
  | 'lifecycleAt'
  | 'attachmentCount'
  | 'handlerId'
  | 'handlerName'
  | 'departmentId'
  | 'nextDeadline'
  | 'nextDeadlineAt'
  | 'queueAt'
  | 'awaitingApprovalLevel';
export type ComplaintChange = Partial<Pick<ComplaintRecord, DecidedField>>;

/** Registration facts staff correct (use-cases/correct-complaint.ts). */
export type Correction = Partial<
  Pick<
    ComplaintRecord,
    | 'propertyId'
    | 'regionId'
    | 'location'
    | 'description'
    | 'demand'
    | 'complainant'
    | 'involvedStaff'
    | 'involvedStaffId'
  >
>;

/** What an event is decided on and written with: all the events consumer remembers of a record. */
export type ComplaintState = Pick<ComplaintRecord, '_id' | 'groupId' | 'timeline' | 'version' | DecidedField>;

/** A record's state without its registration facts (a few hundred bytes rather than kilobytes). */
function stateOf(record: ComplaintState): ComplaintState {
  return {
    _id: record._id,
    groupId: record.groupId,
    timeline: record.timeline,
    version: record.version,
    status: record.status,
    closedAt: record.closedAt,
    category: record.category,
    severity: record.severity,
    department: record.department,
    overdue: record.overdue,
    lifecycleAt: record.lifecycleAt,
    attachmentCount: record.attachmentCount,
    handlerId: record.handlerId,
    handlerName: record.handlerName,
    departmentId: record.departmentId,
    nextDeadline: record.nextDeadline,
    nextDeadlineAt: record.nextDeadlineAt,
    queueAt: record.queueAt,
    awaitingApprovalLevel: record.awaitingApprovalLevel,
  };
}

/** The outcome of a change of an open complaint. */
export type OpenChange =
  | { outcome: 'changed'; entry: TimelineEntryRecord }
  | { outcome: 'missing' }
  | { outcome: 'final'; complaint: ComplaintRecord };

/** How often a claim moves its counter's hint forward (see nextSequence). */
const HINT_EVERY = 10;

/** Counters of claimed numbers kept in process before the map is emptied (it refills from the store). */
const MAX_COUNTERS_IN_PROCESS = 1_000;

/**
 * Complaints the events consumer remembers between their events: their state only, so that a
 * backlog of tens of thousands of registrations waiting for routing and their lifecycle still
 * finds them remembered (about 20 MB at most).
 */
const REMEMBERED_COMPLAINTS = 50_000;

/**
 * Every read and write on the hot path addresses one document by `_id` alone (FerretDB's SQLite
 * backend scans for any other filter, `{_id, groupId}` included); tenancy is checked in code
 * after the read. Conditional updates became read, decide in code, write by `_id`: within this
 * process the per-complaint queue makes that as safe as the conditional update was. Across two
 * replicas, MongoDB's single-document condition is what this gives up: a change decided on a
 * record another replica changed in the same milliseconds may set a field from the older
 * record (FerretDB v1 never had document isolation, so nothing is lost there).
 */
@Injectable()
export class ComplaintsRepository {
  /** Staff actions and the events consumer may change one complaint at once. */
  private readonly writes = new PerKeyQueue();
  /** The last number this process claimed per counter: the next claim tries the next one directly. */
  private readonly claimed = new Map<string, number>();
  /**
   * The records this process registered or followed last (the least recently used go first), so that the next event
   * of a complaint is decided without reading it (see applyEvent). Every other write here forgets
   * the record and counts a `version`, which tells a stale memory from the store's record.
   */
  private readonly remembered = new LRUCache<string, ComplaintState>({ max: REMEMBERED_COMPLAINTS });

  constructor(
    @InjectModel(ComplaintRecord.name) private readonly complaints: Model<ComplaintRecord>,
    @InjectModel(NumberCounter.name) private readonly counters: Model<NumberCounter>,
    @InjectModel(NumberClaim.name) private readonly claims: Model<NumberClaim>,
    @InjectModel(IdempotencyRecord.name) private readonly idempotency: Model<IdempotencyRecord>,
    private readonly timeline: TimelineRepository,
    private readonly retention: RetentionSchedule,
  ) {}

  /**
   * Takes the next number of a counter; concurrent callers never get the same one.
   * The unique `_id` of a claim decides who gets a number, because a unique index is the one
   * guarantee that holds on MongoDB and on FerretDB alike (FerretDB's `findAndModify` with
   * `$inc` is not atomic). This process remembers its last claim, so the common case is the
   * claim alone (1 round trip, and the counter's hint every HINT_EVERY claims); the counter is
   * read once per process and day, and a number another replica took costs one more claim.
   */
  async nextSequence(counterId: string): Promise<number> {
    if (!this.claimed.has(counterId)) {
      const hint = (await this.counters.findById(counterId).lean<NumberCounter>())?.seq ?? 0;
      if (this.claimed.size >= MAX_COUNTERS_IN_PROCESS) this.claimed.clear();
      // A concurrent first claim may have set it meanwhile; never go back.
      this.claimed.set(counterId, Math.max(hint, this.claimed.get(counterId) ?? 0));
    }
    let candidate: number;
    for (;;) {
      // Reserved in process before the await: concurrent callers here try different numbers.
      candidate = (this.claimed.get(counterId) ?? 0) + 1;
      this.claimed.set(counterId, candidate);
      try {
        await this.claims.create({ _id: `${counterId}:${candidate}`, counterId, seq: candidate });
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    // The hint only spares a starting process from trying taken numbers one by one: moved on
    // every HINT_EVERY claims (and at the first), a new process tries at most that many.
    if (candidate % HINT_EVERY === 0 || candidate === 1) {
      try {
        await this.counters.updateOne({ _id: counterId }, { $max: { seq: candidate } }, { upsert: true });
      } catch (error) {
        // Another first-of-the-day claim created the counter at the same moment; the hint is only a hint.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return candidate;
  }

  /**
   * Takes an Idempotency-Key for a registration that will use `complaintId`. Resolves `taken`
   * when this request got it, or the earlier request's record (its complaint id and hash).
   */
  async takeIdempotencyKey(
    groupId: string,
    key: string,
    complaintId: string,
    requestHash: string,
  ): Promise<'taken' | IdempotencyRecord> {
    const _id = `${groupId}:${key}`;
    try {
      await this.idempotency.create({ _id, groupId, complaintId, requestHash, createdAt: new Date() });
      return 'taken';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const earlier = await this.idempotency.findById(_id).lean<IdempotencyRecord>();
    if (!earlier) throw new Error(`idempotency key ${_id} refused but not found`);
    return earlier;
  }

  /**
   * The complaint registered under this key before keys had documents of their own (a query:
   * only after an insert refused by the old unique index); the key's document then names it,
   * so the next replay is by `_id`.
   */
  async adoptLegacyKey(groupId: string, key: string): Promise<ComplaintRecord | null> {
    const legacy = await this.complaints.findOne({ groupId, idempotencyKey: key }).lean<ComplaintRecord>();
    if (legacy) {
      await this.idempotency.updateOne(
        { _id: `${groupId}:${key}` },
        { $set: { complaintId: legacy._id, requestHash: legacy.requestHash } },
      );
    }
    return legacy;
  }

  /** Inserts; resolves `duplicate` when the id (or the group's idempotency key) is taken. */
  async insert(complaint: ComplaintRecord): Promise<'inserted' | 'duplicate'> {
    try {
      await this.complaints.create(complaint);
      this.remembered.set(complaint._id, stateOf({ ...complaint, version: 0 }));
      return 'inserted';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
  }

  /**
   * Complaints written by the version that kept unpublished events on the record (`outbox`):
   * read once per database, at the first start of this version (see OutboxRelay).
   */
  async withLegacyOutbox(): Promise<LegacyOutbox[]> {
    const found = await this.complaints
      .find({ 'outbox.eventId': { $exists: true } }, { _id: 1, groupId: 1, outbox: 1 })
      .lean<LegacyOutbox[]>();
    return found.filter((complaint) => Array.isArray(complaint.outbox) && complaint.outbox.length > 0);
  }

  /** Names the legacy events on the record (so the relay may publish them) and drops the old field. */
  async adoptLegacyOutbox(complaint: LegacyOutbox): Promise<void> {
    await this.writes.run(complaint._id, async () => {
      await this.writeById(
        { _id: complaint._id },
        {
          $addToSet: { eventIds: { $each: complaint.outbox.map((pending) => pending.eventId) } },
          $unset: { outbox: 1 },
        },
        // `outbox` is no longer in the schema: without this mongoose drops the $unset.
        { strict: false },
      );
    });
  }

  /** For passes that start from an id alone (retention): the record names its group. */
  async findByIdInAnyGroup(id: string): Promise<(ComplaintRecord & { updatedAt?: Date }) | null> {
    return this.complaints.findById(id).lean<ComplaintRecord & { updatedAt?: Date }>();
  }

  /** The complaint, if it is this group's. */
  async findById(groupId: string, id: string): Promise<ComplaintRecord | null> {
    const found = await this.complaints.findById(id).lean<ComplaintRecord>();
    return found?.groupId === groupId ? found : null;
  }

  /** The complaint with this number, if it is this group's (numbers are unique across groups). */
  async findByNumber(groupId: string, number: string): Promise<ComplaintRecord | null> {
    const found = await this.complaints.findOne({ number }).lean<ComplaintRecord>();
    return found?.groupId === groupId ? found : null;
  }

  /** Newest received first; `cursor` continues after the last complaint of the previous page. */
  async list(groupId: string, filter: ComplaintFilter, limit: number, cursor?: PageCursor): Promise<ComplaintRecord[]> {
    const and: FilterQuery<ComplaintRecord>[] = [{ groupId }];
    const anyOf = (field: string, values: string[] | undefined) => {
      if (values && values.length > 0) and.push({ [field]: { $in: values } });
    };
    anyOf('propertyId', filter.propertyScope);
    anyOf('regionId', filter.regionScope);
    if (filter.confidentialViewer) {
      const { staffId, actorId } = filter.confidentialViewer;
      and.push({
        $or: [
          { confidential: { $ne: true } },
          ...(staffId
            ? [
                { confidentialStaffIds: staffId },
                { 'registeredBy.kind': 'staff', 'registeredBy.id': staffId },
                { handlerId: staffId },
              ]
            : []),
          ...(actorId ? [{ 'registeredBy.id': actorId, 'registeredBy.kind': 'partner' }] : []),
        ],
      });
    }
    anyOf('propertyId', filter.propertyIds);
    anyOf('regionId', filter.regionIds);
    anyOf('status', filter.statuses);
    anyOf('severity', filter.severities);
    anyOf('category', filter.categories);
    anyOf('channel', filter.channels);
    anyOf('departmentId', filter.departmentIds);
    anyOf('awaitingApprovalLevel', filter.approvalLevels);
    if (filter.receivedFrom) and.push({ receivedAt: { $gte: filter.receivedFrom } });
    if (filter.receivedTo) and.push({ receivedAt: { $lt: filter.receivedTo } });
    if (filter.overdueOnly) and.push({ overdue: true });
    if (filter.mineOf) {
      and.push({
        $or: [{ handlerId: filter.mineOf }, { 'registeredBy.kind': 'staff', 'registeredBy.id': filter.mineOf }],
      });
    }
    if (filter.search) and.push({ $or: searchClauses(filter.search) });
    const byDeadline = filter.sort === 'deadline';
    const field = byDeadline ? 'queueAt' : 'receivedAt';
    if (cursor) {
      // Nearest deadline first goes up, newest first goes down; the id breaks ties the same way.
      const beyond = byDeadline ? '$gt' : '$lt';
      and.push({
        $or: [{ [field]: { [beyond]: cursor.at } }, { [field]: cursor.at, _id: { [beyond]: cursor.id } }],
      });
    }
    return this.complaints
      .find({ $and: and }, { eventIds: 0, timeline: 0, searchTerms: 0 })
      .sort(byDeadline ? { queueAt: 1, _id: 1 } : { receivedAt: -1, _id: -1 })
      .limit(limit)
      .lean<ComplaintRecord[]>();
  }

  /**
   * Appends to the complaint's timeline: read the record (its head), insert the entry, store the
   * head. Resolves undefined when the complaint is not this group's.
   */
  async appendTimeline(groupId: string, id: string, entry: NewTimelineEntry): Promise<TimelineEntryRecord | undefined> {
    return this.writes.run(id, async () => {
      const complaint = await this.findById(groupId, id);
      if (!complaint) return undefined;
      return this.placeEntry(complaint, entry);
    });
  }

  /**
   * Makes sure the entry is on the timeline of a complaint just read (the relay, after a crash):
   * nothing to do when its head names it, except a registration's first entry, which the head
   * names before it is written (TimelineRepository.first).
   */
  async ensureTimelineOf(complaint: ComplaintRecord, entry: NewTimelineEntry): Promise<void> {
    if (headOf(complaint).sources.indexOf(entry.sourceId) > 0) return;
    await this.appendTimelineOf(complaint, entry);
  }

  /** Appends to a complaint just read (or just stored), without reading it again. */
  async appendTimelineOf(complaint: ComplaintRecord, entry: NewTimelineEntry): Promise<TimelineEntryRecord> {
    return this.writes.run(complaint._id, () => this.placeEntry(complaint, entry));
  }

  /**
   * What an event changes: append the timeline entry, then one write of the new head and
   * whatever `decide` sets from the record (nothing to set, read from the store: no write). The
   * timeline first, so whoever sees the new status finds the entry explaining it. Resolves
   * false when the complaint is not this group's (or not in this database).
   *
   * The record is read first only when this process does not remember it: a complaint's events
   * come to one consumer in order, and its registration is usually this process's too. The write
   * returns the record as it was, so its `version` tells whether anyone wrote it since it was
   * remembered; if so, the change is decided again on that record and written again, putting
   * back what the first write set. The timeline needs no such care: a stale head loses its
   * place to the entry there and links after it (TimelineRepository.place).
   */
  async applyEvent(
    groupId: string,
    id: string,
    entry: NewTimelineEntry | undefined,
    decide: (complaint: ComplaintState) => ComplaintChange,
  ): Promise<boolean> {
    return this.writes.run(id, async () => {
      const remembered = this.remembered.get(id);
      let complaint: ComplaintState | null =
        remembered?.groupId === groupId ? remembered : await this.findById(groupId, id);
      let read = complaint !== remembered;
      if (!complaint) return false;
      // Written already (intake's own events, redeliveries): known from the head without a read.
      const known = !entry || headOf(complaint).sources.includes(entry.sourceId);
      const placed = known ? undefined : await this.timeline.place(groupId, id, headOf(complaint), entry);
      let undo: Partial<ComplaintRecord> = {};
      for (;;) {
        const change = decide(complaint);
        if (change.closedAt) await this.retention.recordClosed([id], change.closedAt);
        // A head another writer moved further meanwhile stays.
        const head: Partial<ComplaintRecord> =
          placed?.moved && headOf(complaint).seq < placed.head.seq ? { timeline: placed.head } : {};
        const set: Partial<ComplaintRecord> = { ...undo, ...change, ...head };
        if (read && Object.keys(set).length === 0) {
          this.remembered.set(id, stateOf(complaint));
          return true;
        }
        const before: ComplaintRecord | null = await this.complaints
          .findOneAndUpdate(
            { _id: id },
            { ...(Object.keys(set).length > 0 ? { $set: set } : {}), $inc: { version: 1 } },
            { returnDocument: 'before' },
          )
          .lean<ComplaintRecord>();
        if (!before || before.groupId !== groupId) {
          this.remembered.delete(id);
          return false;
        }
        if ((before.version ?? 0) === (complaint.version ?? 0)) {
          this.remembered.set(id, stateOf({ ...complaint, ...set, version: (complaint.version ?? 0) + 1 }));
          return true;
        }
        // Changed meanwhile: decide again on the record as it was before this write (which the
        // store counts too), putting back the fields this write set from the older one.
        undo = Object.fromEntries(
          Object.keys({ ...undo, ...change }).map((key) => [key, before[key as keyof ComplaintRecord] ?? null]),
        );
        complaint = stateOf({ ...before, version: (before.version ?? 0) + 1 });
        read = false;
      }
    });
  }

  /**
   * Every write of a record but the events consumer's: counts its version and forgets what this
   * process remembered of it, so that the consumer reads the record again.
   */
  private async writeById(
    filter: { _id: string },
    update: UpdateQuery<ComplaintRecord>,
    options: { strict?: boolean } = {},
  ): Promise<void> {
    this.remembered.delete(filter._id);
    await this.complaints.updateOne(filter, { ...update, $inc: { version: 1 } }, options);
  }

  /**
   * Changes an open complaint, recording the id of the event announcing it in the same write,
   * then appends the event's timeline entry. The change first: a crash before the entry leaves
   * the event pending, and intake's consumer writes the entry when the relay publishes it.
   */
  async changeOpenComplaint(
    groupId: string,
    id: string,
    change: Pick<ComplaintChange, 'status' | 'closedAt'> & { note?: string; correction?: Correction },
    eventId: string,
    entry: NewTimelineEntry,
  ): Promise<OpenChange> {
    return this.writes.run(id, async () => {
      const complaint = await this.findById(groupId, id);
      if (!complaint) return { outcome: 'missing' };
      if (FINAL_STATUSES.includes(complaint.status)) return { outcome: 'final', complaint };
      if (change.closedAt) await this.retention.recordClosed([id], change.closedAt);
      const { note, correction, ...set } = change;
      // A note's words, and corrected words, find the complaint too (the words corrected away
      // still do: the record does not know which terms came from which text).
      const texts = [note, correction?.location, correction?.description, correction?.demand].filter(
        (text): text is string => text !== undefined,
      );
      const terms = texts.length === 0 ? {} : { searchTerms: withTerms(searchTermsOfRecord(complaint), texts) };
      await this.writeById({ _id: id }, { $set: { ...set, ...correction, ...terms }, $push: { eventIds: eventId } });
      return { outcome: 'changed', entry: await this.placeEntry(complaint, entry) };
    });
  }

  /**
   * Adds to one of the record's lists (a reward or penalty, a quality spot check) with the id of
   * the event announcing it in the same write, then its timeline entry, when the record's status
   * is one of `allowed` (read under the record's lock, as changeOpenComplaint does).
   */
  async addToList(
    groupId: string,
    id: string,
    allowed: readonly Status[],
    item: { consequences: StaffConsequenceRecord } | { spotChecks: SpotCheckField },
    eventId: string,
    entry: NewTimelineEntry,
  ): Promise<OpenChange> {
    return this.writes.run(id, async () => {
      const complaint = await this.findById(groupId, id);
      if (!complaint) return { outcome: 'missing' };
      if (!allowed.includes(complaint.status)) return { outcome: 'final', complaint };
      await this.writeById({ _id: id }, { $push: { ...item, eventIds: eventId } });
      return { outcome: 'changed', entry: await this.placeEntry(complaint, entry) };
    });
  }

  async setAttachmentCount(groupId: string, id: string, count: number): Promise<void> {
    await this.applyEvent(groupId, id, undefined, () => ({ attachmentCount: count }));
  }

  private async placeEntry(complaint: ComplaintRecord, entry: NewTimelineEntry): Promise<TimelineEntryRecord> {
    const placed = await this.timeline.place(complaint.groupId, complaint._id, headOf(complaint), entry);
    if (placed.moved) await this.writeById({ _id: complaint._id }, { $set: { timeline: placed.head } });
    return placed.entry;
  }

  // ---- personal data (see ../personal-data): every write below is decided on the record as read,
  // so running a pass on several replicas at once, or twice, changes each record once.

  /** The complaints of one complainant, found by the blind index of the contact (erasure requests). */
  async idsByComplainantKey(groupId: string, key: string): Promise<string[]> {
    const found = await this.complaints
      .find({ groupId, 'complainant.key': key }, { _id: 1 })
      .sort({ receivedAt: 1 })
      .limit(10_000)
      .lean<Pick<ComplaintRecord, '_id'>[]>();
    return found.map((complaint) => complaint._id);
  }

  /** Records sealed with another key than `currentKeyId`, for the re-encryption pass (a full pass). */
  async sealedWithOtherKey(
    currentKeyId: string,
    limit: number,
  ): Promise<Pick<ComplaintRecord, '_id' | 'groupId' | 'complainant'>[]> {
    return this.complaints
      .find(
        { 'complainant.sealed.keyId': { $exists: true, $ne: currentKeyId } },
        { _id: 1, groupId: 1, complainant: 1 },
      )
      .limit(limit)
      .lean<Pick<ComplaintRecord, '_id' | 'groupId' | 'complainant'>[]>();
  }

  /** Records written before personal data was sealed: name, contact and unit in the clear. */
  async withPlaintextComplainant(limit: number): Promise<LegacyComplaint[]> {
    return this.complaints
      .find({ 'complainant.contact': { $exists: true } }, { _id: 1, groupId: 1, complainant: 1 })
      .limit(limit)
      .lean<LegacyComplaint[]>();
  }

  /** Seals a record's clear complainant, if it is still the one read. */
  async sealPlaintext(record: LegacyComplaint, sealed: SealedRecord, key: string): Promise<boolean> {
    return this.writes.run(record._id, async () => {
      const current = await this.complaints.findById(record._id).lean<LegacyComplaint>();
      if (current?.groupId !== record.groupId || current.complainant.contact !== record.complainant.contact) {
        return false;
      }
      await this.writeById(
        { _id: record._id },
        {
          $set: { 'complainant.sealed': sealed, 'complainant.key': key, 'complainant.erasedAt': null },
          $unset: PLAINTEXT_FIELDS,
        },
        // The clear fields are no longer in the schema: without this mongoose drops the $unset.
        { strict: false },
      );
      return true;
    });
  }

  /** Replaces the sealed value only if it is still the one read (not erased or re-sealed meanwhile). */
  async replaceSealed(groupId: string, id: string, before: SealedRecord, after: SealedRecord): Promise<boolean> {
    return this.writes.run(id, async () => {
      const sealed = (await this.findById(groupId, id))?.complainant.sealed;
      if (sealed?.keyId !== before.keyId || sealed.iv !== before.iv) return false;
      await this.writeById({ _id: id }, { $set: { 'complainant.sealed': after } });
      return true;
    });
  }

  /**
   * Closed or withdrawn, personal data still held: read once per database, when the retention
   * pass first runs, to record complaints closed before closes were recorded by the hour.
   */
  async closedNotErased(): Promise<Pick<ComplaintRecord, '_id' | 'closedAt'>[]> {
    const found = await this.complaints
      .find(
        { status: { $in: ['closed', 'withdrawn'] }, 'complainant.erasedAt': null },
        { _id: 1, closedAt: 1, updatedAt: 1 },
      )
      .lean<(Pick<ComplaintRecord, '_id' | 'closedAt'> & { updatedAt?: Date })[]>();
    // Records closed before closedAt was kept count from their last change.
    return found.map(({ _id, closedAt, updatedAt }) => ({ _id, closedAt: closedAt ?? updatedAt ?? null }));
  }

  /**
   * Erases the complainant's personal data (sealed value, blind index, and the request hash, which
   * was computed over a body holding it, here and on its idempotency record), recording the
   * event's id in the same write, then appends the event's entry. Resolves false when it was
   * erased already or is not this group's.
   */
  async erasePersonalData(
    groupId: string,
    id: string,
    at: Date,
    eventId: string,
    entry: NewTimelineEntry,
  ): Promise<boolean> {
    return this.writes.run(id, async () => {
      const complaint = await this.findById(groupId, id);
      if (!complaint || complaint.complainant.erasedAt) return false;
      // The key's copy of the hash first: once the record says erased, a retry stops there.
      if (!complaint.idempotencyKey.startsWith('auto:')) {
        await this.idempotency.updateOne(
          { _id: `${groupId}:${complaint.idempotencyKey}` },
          { $set: { requestHash: '' } },
        );
      }
      await this.writeById(
        { _id: id },
        {
          $set: { 'complainant.sealed': null, 'complainant.key': '', 'complainant.erasedAt': at, requestHash: '' },
          // A record from before sealing may still hold them in the clear.
          $unset: PLAINTEXT_FIELDS,
          $push: { eventIds: eventId },
        },
        { strict: false },
      );
      await this.placeEntry(complaint, entry);
      return true;
    });
  }
}

/** Records from before the head was kept have none: the first append walks their entries once. */
/** The timeline head, also of a record written before heads were kept. */
export function headOf(complaint: Pick<ComplaintRecord, 'timeline'>) {
  return complaint.timeline ?? EMPTY_HEAD;
}

/** The record's search terms; those of its texts for a record stored before it had any. */
function searchTermsOfRecord(
  complaint: Pick<ComplaintRecord, 'searchTerms' | 'description' | 'location' | 'demand' | 'referralTicket'>,
): string[] {
  return complaint.searchTerms && complaint.searchTerms.length > 0
    ? complaint.searchTerms
    : searchTermsOf(complaint.description, complaint.location, complaint.demand, complaint.referralTicket ?? '');
}

/** A search matches by number prefix, by the complainant's blind index, or by every word. */
function searchClauses(search: NonNullable<ComplaintFilter['search']>): FilterQuery<ComplaintRecord>[] {
  const clauses: FilterQuery<ComplaintRecord>[] = [];
  if (search.numberPrefix) clauses.push({ number: { $regex: `^${escapeRegExp(search.numberPrefix)}` } });
  if (search.complainantKey) clauses.push({ 'complainant.key': search.complainantKey });
  if (search.terms.length > 0) clauses.push({ searchTerms: { $all: search.terms } });
  // Nothing to look for finds nothing (rather than everything).
  return clauses.length > 0 ? clauses : [{ _id: { $in: [] } }];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
