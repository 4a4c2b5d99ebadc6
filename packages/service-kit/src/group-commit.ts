/**
 * Writes of many callers under one key (a shared document, or a collection), made one after
 * another and several at once: while a write is in flight, what others add waits and goes out
 * together in the next one.
 * Each caller's promise settles when the write that carried its item is done, so nothing is
 * acknowledged before it is stored. One write per document at a time is also what FerretDB v1
 * needs (it rewrites a whole document per update, without isolation).
 */
export class GroupCommit<T> {
  private readonly waiting = new Map<
    string,
    { items: T[]; settle: { resolve: () => void; reject: (error: unknown) => void }[] }
  >();
  private readonly draining = new Set<string>();

  constructor(private readonly write: (key: string, items: T[]) => Promise<void>) {}

  add(key: string, item: T): Promise<void> {
    let batch = this.waiting.get(key);
    if (!batch) {
      batch = { items: [], settle: [] };
      this.waiting.set(key, batch);
    }
    batch.items.push(item);
    const done = new Promise<void>((resolve, reject) => batch.settle.push({ resolve, reject }));
    if (!this.draining.has(key)) void this.drain(key);
    return done;
  }

  private async drain(key: string): Promise<void> {
    this.draining.add(key);
    try {
      for (let batch = this.waiting.get(key); batch; batch = this.waiting.get(key)) {
        this.waiting.delete(key);
        try {
          await this.write(key, batch.items);
          for (const { resolve } of batch.settle) resolve();
        } catch (error) {
          for (const { reject } of batch.settle) reject(error);
        }
      }
    } finally {
      this.draining.delete(key);
    }
  }
}
