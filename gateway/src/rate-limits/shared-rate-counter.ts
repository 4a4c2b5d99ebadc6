import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectModel, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Model } from 'mongoose';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One caller's requests in one window, summed over every gateway replica. */
@Schema({ collection: 'rate_counts', versionKey: false })
export class RateCount {
  /** `<tracker>:<window number>`. */
  @Prop({ required: true }) _id!: string;
  @Prop({ default: 0 }) count!: number;
}
export const RateCountSchema = SchemaFactory.createForClass(RateCount);

/** How often a replica adds its requests to the shared counts and reads the others' back. */
export const RATE_SYNC_MS = 1_000;

interface Window {
  number: number;
  /** When the window is over (ms since the epoch). */
  endsAt: number;
  /** This replica has added to the window's shared count at least once. */
  synced: boolean;
  /** Every replica's requests in this window as of the last sync, this one's included. */
  shared: number;
  /** This replica's requests since the last sync. */
  pending: number;
  /** Requests on their way to the store in the sync running now. */
  sending: number;
}

/**
 * The per-key limit as one budget for all gateway replicas: @nestjs/throttler's storage, counted
 * in fixed windows in the gateway's database. A request costs no round trip: each replica counts
 * in memory and once a second adds what it counted to the key's shared count (one `$inc` by
 * `_id` per busy key, a read by `_id` per key quiet here this window), reading back everyone's. So the budget is shared to within a second of
 * each replica's traffic. The previous window's count is removed when a key's new window first
 * syncs. On FerretDB, whose `$inc` is not atomic, two replicas syncing the same key at the same
 * moment can lose one of the additions (the limit is then a little generous); MongoDB adds both.
 */
@Injectable()
export class SharedRateCounter implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | undefined;

  constructor(@InjectModel(RateCount.name) private readonly counts: Model<RateCount>) {
    this.timer = setInterval(() => void this.sync(), RATE_SYNC_MS);
    this.timer.unref();
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const number = Math.floor(now / ttl);
    let window = this.windows.get(key);
    if (!window || window.number !== number) {
      window = { number, endsAt: (number + 1) * ttl, synced: false, shared: 0, pending: 0, sending: 0 };
      this.windows.set(key, window);
    }
    window.pending += 1;
    const totalHits = window.shared + window.sending + window.pending;
    const timeToExpire = Math.ceil((window.endsAt - now) / 1000);
    const isBlocked = totalHits > limit;
    return Promise.resolve({ totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 });
  }

  /** Adds each key's new requests to its shared count; one sync at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const now = this.now();
    const current = [...this.windows].filter(([, window]) => window.pending > 0 || window.endsAt > now);
    await Promise.all(
      current.map(async ([key, window]) => {
        if (window.pending === 0) {
          // Quiet here, maybe not elsewhere: read what the other replicas counted.
          const stored = await this.counts
            .findById(`${key}:${window.number}`)
            .lean<RateCount>()
            .catch(() => null);
          window.shared = Math.max(window.shared, stored?.count ?? 0);
          return;
        }
        const sending = window.pending;
        window.pending = 0;
        window.sending = sending;
        try {
          const stored = await this.counts
            .findOneAndUpdate(
              { _id: `${key}:${window.number}` },
              { $inc: { count: sending } },
              { upsert: true, new: true },
            )
            .lean<RateCount>();
          window.shared = Math.max(window.shared + sending, stored?.count ?? 0);
          // The window's first sync here: the one before it is over for everyone.
          if (!window.synced) await this.counts.deleteOne({ _id: `${key}:${window.number - 1}` });
          window.synced = true;
        } catch {
          // The store is away: this replica goes on with its own count.
          window.shared += sending;
        } finally {
          window.sending = 0;
        }
      }),
    );
    // Windows that are over and synced are forgotten.
    for (const [key, window] of this.windows) {
      if (window.pending === 0 && window.endsAt < now) this.windows.delete(key);
    }
  }

  /** The clock; a test may turn it. */
  protected now(): number {
    return Date.now();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sync();
  }
}
