import { PerKeyQueue } from './per-key-queue';

describe('PerKeyQueue', () => {
  it('runs the tasks of one key one at a time, in order, and other keys alongside', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      queue.run('a', task('a1', 20)),
      queue.run('a', task('a2', 1)),
      queue.run('b', task('b1', 5)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('goes on after a failed task, which still fails for its caller', async () => {
    const queue = new PerKeyQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.run('a', () => Promise.resolve(2))).resolves.toBe(2);
  });
});
