/**
 * Runs work items with at most `concurrency` at once, those of one key one after another in
 * the order they were pushed; items of different keys run side by side. An item pushed with
 * no key (`undefined`) waits for nothing but a free slot.
 *
 * It is how one durable consumer handles several complaints at once while each complaint's
 * events stay in stream order (the key is the complaint id). It holds everything it was
 * given until it has run (or was handed back by {@link stop}); the caller bounds that by
 * pushing only while {@link inHand} leaves room.
 */
export class KeyedDispatcher<T> {
  private running = 0;
  private held = 0;
  /**
   * The keys that have an item running or next in {@link ready}, each with the items waiting
   * behind that one, oldest first. A key is here at most once, so at most one of its items is
   * ever running or ready: that is what keeps one key's items in order and never side by side.
   */
  private readonly lanes = new Map<string, T[]>();
  /** Items free to start as soon as a slot frees up, oldest first (fair between keys). */
  private readonly ready: { key: string | undefined; item: T }[] = [];
  private handBack: ((item: T) => void) | undefined;
  private changeWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    /** Runs one item; a rejection is passed to `onError` and the item counts as done. */
    private readonly run: (item: T) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    /** Told whenever the number running or waiting changes (a gauge). */
    private readonly onChange?: (running: number, waiting: number) => void,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
    }
  }

  /** Items held: running plus waiting. */
  get inHand(): number {
    return this.held;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Queues an item behind the earlier items of its key. After {@link stop} it is handed back at once. */
  push(key: string | undefined, item: T): void {
    if (this.handBack) {
      this.handBack(item);
      return;
    }
    this.held++;
    const lane = key === undefined ? undefined : this.lanes.get(key);
    if (lane) {
      lane.push(item);
    } else {
      if (key !== undefined) this.lanes.set(key, []);
      this.ready.push({ key, item });
    }
    this.pump();
    this.changed();
  }

  /** Every item held that has not started, in no particular order. */
  *waiting(): Iterable<T> {
    for (const { item } of this.ready) yield item;
    for (const lane of this.lanes.values()) yield* lane;
  }

  /**
   * Starts nothing more: the items waiting are given to `handBack`, those of a key with an item
   * running once that one has finished (so a key's items are still let go of in order), the
   * others at once. {@link idle} then tells when the items running have finished.
   */
  stop(handBack: (item: T) => void): void {
    if (this.handBack) return;
    this.handBack = handBack;
    for (const { key, item } of this.ready.splice(0)) {
      this.release(item);
      if (key !== undefined) this.releaseLane(key);
    }
    this.changed();
  }

  /** Resolves when nothing is held (after {@link stop}: when the items running have finished). */
  async idle(): Promise<void> {
    while (this.held > 0) await this.nextChange();
  }

  /** Resolves at the next change of what is held. */
  nextChange(): Promise<void> {
    return new Promise((resolve) => this.changeWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const next = this.ready.shift();
      if (!next) return;
      this.running++;
      void Promise.resolve()
        .then(() => this.run(next.item))
        .catch(this.onError)
        .finally(() => this.finished(next.key));
    }
  }

  private finished(key: string | undefined): void {
    this.running--;
    this.held--;
    if (key !== undefined) {
      if (this.handBack) {
        this.releaseLane(key);
      } else {
        const lane = this.lanes.get(key) ?? [];
        const next = lane.shift();
        // The key's next item goes to the back of the ready line, behind other keys' items.
        if (next === undefined) this.lanes.delete(key);
        else this.ready.push({ key, item: next });
      }
    }
    this.pump();
    this.changed();
  }

  private releaseLane(key: string): void {
    for (const item of this.lanes.get(key) ?? []) this.release(item);
    this.lanes.delete(key);
  }

  private release(item: T): void {
    this.held--;
    try {
      this.handBack?.(item);
    } catch (error) {
      this.onError(error);
    }
  }

  private changed(): void {
    this.onChange?.(this.running, this.held - this.running);
    const waiters = this.changeWaiters;
    this.changeWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
