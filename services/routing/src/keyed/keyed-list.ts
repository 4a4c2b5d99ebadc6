import type { Model } from 'mongoose';
import { PerKeyQueue } from '@complaints/service-kit';

/** One complaint in a keyed list: lists keep only what falls inside their time window. */
export interface KeyedEntry {
  id: string;
  receivedAt: Date;
}

export interface KeyedListDocument<E extends KeyedEntry> {
  _id: string;
  groupId: string;
  entries: E[];
}

export interface ListChange<E extends KeyedEntry> {
  /** Put in place of the entry with the same id (or added). */
  put?: E;
  /** Taken out. */
  remove?: readonly string[];
}

function sameEntries<E extends KeyedEntry>(a: readonly E[], b: readonly E[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A small document per key (`<group>:...`) listing the recent complaints that share it, read
 * and written by `_id` alone: what routing used to find by scanning every decision. Entries
 * older than the window are dropped whenever the document is written, so it stays small.
 *
 * Writes are read-decide-write of the whole list. Within this process every writer of one key
 * goes through `exclusive`, so two complaints sharing it at once see each other. Two replicas
 * can still interleave on one key: both decide from the list without the other's complaint
 * (as two concurrent scans did before) and the last write wins, so the other's entry is
 * missing until that complaint's document is synced again (its redelivery, or any later
 * change). On MongoDB `$push`/`$pull` would avoid the lost entry, but FerretDB v1 ignores
 * `$slice` and conditions in `$pull` silently; the consequence is a repeat, duplicate or
 * collective member missed, which staff can still merge by hand.
 */
export class KeyedLists<E extends KeyedEntry> {
  private readonly queue = new PerKeyQueue();

  constructor(
    private readonly model: Model<KeyedListDocument<E>>,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `task` alone for this key in this process. Never take another key's lock of the same kind inside. */
  exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(id, task);
  }

  async read(id: string): Promise<E[]> {
    const stored = await this.model.findById(id).lean<KeyedListDocument<E>>();
    return stored?.entries ?? [];
  }

  /**
   * Writes `before` (as read inside `exclusive`) with the change, dropping entries past the
   * window; nothing is written when nothing changes, and an emptied list is deleted (its key may
   * name a complainant).
   */
  async write(id: string, groupId: string, before: readonly E[], change: ListChange<E>): Promise<void> {
    const cutoff = this.now() - this.windowMs;
    const removed = new Set([...(change.remove ?? []), ...(change.put ? [change.put.id] : [])]);
    const next = before.filter((entry) => !removed.has(entry.id));
    if (change.put) next.push(change.put);
    const kept = next
      .filter((entry) => entry.receivedAt.getTime() >= cutoff)
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id));
    if (sameEntries(kept, before)) return;
    if (kept.length === 0) {
      await this.model.deleteOne({ _id: id });
      return;
    }
    await this.model.updateOne({ _id: id }, { $set: { groupId, entries: kept } }, { upsert: true });
  }

  /** Read and write under the key's lock. */
  update(id: string, groupId: string, change: ListChange<E>): Promise<void> {
    return this.exclusive(id, async () => this.write(id, groupId, await this.read(id), change));
  }
}
