/**
 * Runs the tasks given for one key one after another, in this process; other keys run freely.
 * FerretDB v1 (the local and test store) rewrites a whole document on each update without
 * isolation, so two updates of one document at once can lose one of them; MongoDB updates a
 * document atomically. Writers of one document within a process queue here, which is all a
 * single replica needs on either store.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
