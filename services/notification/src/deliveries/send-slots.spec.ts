import { SendSlots } from './send-slots';

describe('send slots', () => {
  it('runs tasks side by side, never more than its size at once, and all of them', async () => {
    const slots = new SendSlots(3);
    let running = 0;
    let most = 0;
    const done = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        slots.run(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
          return index;
        }),
      ),
    );
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new SendSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('provider down')))).rejects.toThrow('provider down');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
