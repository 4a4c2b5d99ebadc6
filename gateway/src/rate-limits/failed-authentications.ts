import { LRUCache } from 'lru-cache';

/** Addresses remembered at most: a flood from many addresses must not grow the process. */
const ADDRESSES = 100_000;
const WINDOW_MS = 60_000;

/**
 * Wrong or missing credentials per client address, counted before any key is read: past the
 * limit within a minute of the first, the address is answered 429 without its credential being
 * checked, so guessing keys is slow and refusing it costs nothing. Per replica, in memory.
 */
export class FailedAuthentications {
  private readonly counts = new LRUCache<string, number>({ max: ADDRESSES, ttl: WINDOW_MS, noUpdateTTL: true });

  constructor(private readonly perMinute: number) {}

  /** Seconds until the address may try again; 0: it may now. */
  retryAfterSeconds(address: string): number {
    if ((this.counts.get(address) ?? 0) < this.perMinute) return 0;
    return Math.max(1, Math.ceil(this.counts.getRemainingTTL(address) / 1000));
  }

  record(address: string): void {
    this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
  }
}
