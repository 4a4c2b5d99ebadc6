import { KeyedDispatcher } from './keyed-dispatcher';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedDispatcher', () => {
  it('runs one key in order and one at a time, other keys beside it, never more than the concurrency', async () => {
    const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
    const started: string[] = [];
    const dispatcher = new KeyedDispatcher<string>(
      2,
      async (item) => {
        started.push(item);
        const gate = deferred();
        gates.set(item, gate);
        await gate.promise;
      },
      (error) => {
        throw error;
      },
    );
    for (const item of ['a1', 'a2', 'b1', 'c1', 'a3', 'b2']) dispatcher.push(item[0], item);
    await tick();
    // a2 waits behind a1 although a slot is free for b1; c1 waits for a slot.
    expect(started).toEqual(['a1', 'b1']);
    expect([dispatcher.inFlight, dispatcher.inHand]).toEqual([2, 6]);
    expect([...dispatcher.waiting()].sort()).toEqual(['a2', 'a3', 'b2', 'c1']);

    gates.get('a1')?.resolve();
    await tick();
    // a2 is ready now, but behind c1, which was ready first.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('b1')?.resolve();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    for (const item of ['c1', 'a2']) gates.get(item)?.resolve();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    for (const item of ['b2', 'a3']) gates.get(item)?.resolve();
    await dispatcher.idle();
    expect(dispatcher.inHand).toBe(0);
  });

  it('lets an item without a key run whenever a slot is free', async () => {
    const started: string[] = [];
    const gate = deferred();
    const dispatcher = new KeyedDispatcher<string>(
      3,
      async (item) => {
        started.push(item);
        await gate.promise;
      },
      () => undefined,
    );
    dispatcher.push(undefined, 'x');
    dispatcher.push(undefined, 'y');
    dispatcher.push('k', 'k1');
    dispatcher.push(undefined, 'z');
    await tick();
    expect(started).toEqual(['x', 'y', 'k1']);
    gate.resolve();
    await dispatcher.idle();
    expect(started).toEqual(['x', 'y', 'k1', 'z']);
  });

  it('on stop hands back at once what waits for a slot, and what waits behind a running item once it is done', async () => {
    const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
    const log: string[] = [];
    const changes: [number, number][] = [];
    const dispatcher = new KeyedDispatcher<string>(
      1,
      async (item) => {
        log.push(`start ${item}`);
        const gate = deferred();
        gates.set(item, gate);
        await gate.promise;
        log.push(`end ${item}`);
      },
      () => undefined,
      (running, waiting) => changes.push([running, waiting]),
    );
    for (const item of ['a1', 'b1', 'a2', 'b2', 'a3']) dispatcher.push(item[0], item);
    await tick();
    dispatcher.stop((item) => log.push(`back ${item}`));
    dispatcher.push('c', 'c1');
    expect(log).toEqual(['start a1', 'back b1', 'back b2', 'back c1']);
    gates.get('a1')?.resolve();
    await dispatcher.idle();
    expect(log).toEqual(['start a1', 'back b1', 'back b2', 'back c1', 'end a1', 'back a2', 'back a3']);
    expect(changes.every(([running]) => running <= 1)).toBe(true);
    expect(changes[changes.length - 1]).toEqual([0, 0]);
  });

  it('counts a rejected item as done', async () => {
    const errors: unknown[] = [];
    const started: string[] = [];
    const dispatcher = new KeyedDispatcher<string>(
      1,
      async (item) => {
        started.push(item);
        if (item === 'k1') throw new Error('boom');
      },
      (error) => errors.push(error),
    );
    dispatcher.push('k', 'k1');
    dispatcher.push('k', 'k2');
    await dispatcher.idle();
    expect(started).toEqual(['k1', 'k2']);
    expect(errors).toHaveLength(1);
  });

  it('refuses a concurrency below 1', () => {
    expect(
      () =>
        new KeyedDispatcher<string>(
          0,
          async () => undefined,
          () => undefined,
        ),
    ).toThrow(RangeError);
  });
});
