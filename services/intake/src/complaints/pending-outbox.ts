import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { mongo, type Model } from 'mongoose';
import { v1 } from '@complaints/contracts';
import { PendingEventRecord } from './complaint.schema';

/**
 * Whether the change a pending event of a record other than a complaint announces was stored
 * (the record names the event). `recordId` is the envelope's complaintId: the record's id.
 */
export type StoredCheck = (groupId: string, recordId: string, eventId: string, type: string) => Promise<boolean>;

/** How long published events' documents wait to be deleted together (well under the relay's interval). */
const DELETE_BATCH_MS = 100;

/**
 * Events on their way to the stream, one document each (`_id` the event id). Written before the
 * change the event announces, deleted once the event is published; so the relay reads only what
 * is in flight, never the complaints.
 */
@Injectable()
export class PendingOutbox implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PendingOutbox.name);
  private readonly toDelete = new Set<string>();
  private flushing?: Promise<void>;
  private readonly checks = new Map<string, StoredCheck>();

  constructor(@InjectModel(PendingEventRecord.name) private readonly pending: Model<PendingEventRecord>) {}

  /**
   * Events about another record than a complaint (a work order's, the handover book's): the relay
   * asks `check` whether their change was stored (the record names the event, as a complaint's
   * `eventIds` do), instead of looking for a complaint.
   */
  registerRecords(types: readonly string[], check: StoredCheck): void {
    for (const type of types) this.checks.set(type, check);
  }

  /** How the relay learns whether an event of this type had its change stored; none for complaint events. */
  checkFor(type: string): StoredCheck | undefined {
    return this.checks.get(type);
  }

  /**
   * The event is on the stream: its document goes with the others published in the same
   * DELETE_BATCH_MS, in one round trip instead of one each. The relay leaves documents younger
   * than its interval alone, and should a crash keep one, the relay publishes it again and the
   * stream drops the duplicate (stable event id).
   */
  published(eventId: string): void {
    this.toDelete.add(eventId);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushing ??= new Promise<void>((resolve) => setTimeout(resolve, DELETE_BATCH_MS)).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    const ids = [...this.toDelete];
    this.toDelete.clear();
    try {
      if (ids.length > 0) {
        await this.pending.bulkWrite(
          ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
          { ordered: false },
        );
      }
    } catch (error) {
      // Left to the relay, which deletes them once it has published them again.
      this.logger.warn(`deleting ${ids.length} published pending event(s) failed: ${String(error)}`);
    } finally {
      this.flushing = undefined;
      // Published while this batch was being deleted.
      if (this.toDelete.size > 0) this.scheduleFlush();
    }
  }

  /** Before the store's connection closes (on shutdown), including a batch scheduled during the last one. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async add(event: v1.EventEnvelope): Promise<void> {
    await this.pending.updateOne(
      { _id: event.eventId },
      {
        $set: {
          groupId: event.groupId,
          complaintId: event.complaintId,
          envelope: Buffer.from(v1.EventEnvelope.encode(event).finish()),
          createdAt: new Date(),
        },
      },
      // A retried request with a stable event id writes the same document again.
      { upsert: true },
    );
  }

  /** An event stored by the previous version, as its bytes. */
  async addEncoded(
    groupId: string,
    complaintId: string,
    eventId: string,
    envelope: Buffer | mongo.Binary,
  ): Promise<void> {
    await this.pending.updateOne(
      { _id: eventId },
      { $set: { groupId, complaintId, envelope: bytesOf(envelope), createdAt: new Date(0) } },
      { upsert: true },
    );
  }

  async remove(eventId: string): Promise<void> {
    await this.pending.deleteOne({ _id: eventId });
  }

  /** Everything pending, oldest first. The collection holds only events in flight. */
  async all(): Promise<(PendingEventRecord & { event: v1.EventEnvelope })[]> {
    const found = await this.pending.find().lean<PendingEventRecord[]>();
    return found
      .map((pending) => ({ ...pending, event: v1.EventEnvelope.decode(bytesOf(pending.envelope)) }))
      .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  }
}

/** Stored bytes come back as BSON Binary; the protobuf decoder wants a Buffer. */
function bytesOf(value: Buffer | mongo.Binary): Buffer {
  return value instanceof mongo.Binary ? Buffer.from(value.buffer) : value;
}
