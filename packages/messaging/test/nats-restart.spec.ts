import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePorts, startInfra, type RunningInfra } from '@complaints/infra';
import { v1 } from '@complaints/contracts';
import { testServers } from '@complaints/devstack';
import { createEvent, EventBus } from '../src';

// A NATS of its own, restarted under a running consumer: its pulls fail while NATS is away,
// and it must pull again once NATS is back rather than stop for good.
describe('a durable consumer across a NATS restart', () => {
  let nats: RunningInfra | undefined;
  let natsPort: number;
  let natsDir: string;
  const startNats = async () => {
    nats = await startInfra({ dataDir: natsDir, servers: ['nats'], ports: { nats: natsPort } });
  };
  beforeAll(async () => {
    [natsPort] = await freePorts(1);
    natsDir = path.join(testServers().dataDir, `nats-restart-${randomUUID().slice(0, 8)}`);
    await startNats();
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('goes on handling events once NATS is back', async () => {
    const bus = await EventBus.connect({
      url: `nats://127.0.0.1:${natsPort}`,
      name: 'nats-restart-test',
      logger: { log: () => undefined, error: () => undefined },
    });
    const handled = new Set<string>();
    const breach = () =>
      createEvent(
        'deadline_breached',
        { groupId: 'g', complaintId: randomUUID() },
        v1.DeadlineBreached.fromPartial({ deadline: 'resolveBy', dueAt: '', severity: 'general' }),
      );
    const waitFor = async (check: () => boolean, timeoutMs: number) => {
      const until = Date.now() + timeoutMs;
      while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const running = await bus.consume({ name: 'restart', types: ['deadline_breached'], concurrency: 4 }, async (e) => {
      handled.add(e.complaintId);
    });
    try {
      const before = Array.from({ length: 5 }, breach);
      for (const event of before) await bus.publish(event);
      await waitFor(() => before.every((e) => handled.has(e.complaintId)), 10_000);
      expect(before.filter((e) => !handled.has(e.complaintId))).toEqual([]);

      await nats?.stop();
      await startNats();
      const after = Array.from({ length: 5 }, breach);
      // Published once the client has reconnected.
      for (const event of after) {
        for (let attempt = 0; ; attempt++) {
          try {
            await bus.publish(event);
            break;
          } catch (error) {
            if (attempt > 100) throw error;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
      }
      await waitFor(() => after.every((e) => handled.has(e.complaintId)), 60_000);
      expect(after.filter((e) => !handled.has(e.complaintId))).toEqual([]);
    } finally {
      await running.stop();
      await bus.close();
    }
  });
});
