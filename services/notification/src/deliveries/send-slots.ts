/**
 * At most `size` sends in flight at once in this process, whatever the number of events being
 * handled: a breach that reaches many people sends to them side by side, and a storm of them
 * does not open thousands of provider connections at once.
 */
export class SendSlots {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`send slots must be a positive integer, not ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `inFlight` never exceeds `size`.
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }
}
