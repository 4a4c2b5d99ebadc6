import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { freePorts, startInfra, type RunningInfra } from '@complaints/infra';
import type { v1 } from '@complaints/contracts';
import { eventually, testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus } from '@complaints/messaging';
import { PendingOutbox } from '../src/complaints/pending-outbox';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { registration, startIntake } from './fixtures';

// A NATS of its own, stopped while a complaint is registered and started again afterwards.
describe('intake outbox across a NATS outage', () => {
  let nats: RunningInfra | undefined;
  let natsPort: number;
  let natsDir: string;
  let app: INestApplicationContext;

  const startNats = async () => {
    nats = await startInfra({ dataDir: natsDir, servers: ['nats'], ports: { nats: natsPort } });
  };

  beforeAll(async () => {
    [natsPort] = await freePorts(1);
    natsDir = path.join(testServers().dataDir, `nats-outage-${randomUUID().slice(0, 8)}`);
    await startNats();
    app = await startIntake({
      MONGO_URL: testServers().mongoUrl,
      MONGO_DB: uniqueDatabase('intake_outage'),
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      OUTBOX_RELAY_INTERVAL_MS: '300',
    });
  });
  afterAll(async () => {
    await app?.close();
    await nats?.stop();
  });

  it('answers with a number while NATS is down and publishes the event once it is back', async () => {
    await nats?.stop();
    const { complaint } = await app
      .get(RegisterComplaint)
      .execute(registration({ channel: 'wechat', receivedAt: new Date(), description: '停车收费有误' }));
    expect(complaint.number).toMatch(/^SHM01-/);
    const outbox = app.get(PendingOutbox);
    const pendingOf = async () => (await outbox.all()).filter((pending) => pending.complaintId === complaint._id);
    expect(await pendingOf()).toHaveLength(1);

    await startNats();
    const bus = await EventBus.connect({
      url: `nats://127.0.0.1:${natsPort}`,
      name: 'outage-check',
      logger: { log: () => undefined, error: () => undefined },
    });
    const received: v1.EventEnvelope[] = [];
    await bus.consume({ name: `outage-check-${randomUUID().slice(0, 8)}`, types: ['registered'] }, async (event) => {
      received.push(event);
    });
    try {
      const event = await eventually(
        async () => received.find((e) => e.complaintId === complaint._id),
        'the relayed event',
        30_000,
      );
      expect(event.type).toBe('registered');
      await eventually(async () => ((await pendingOf()).length === 0 ? true : undefined), 'the outbox to be cleared');
    } finally {
      await bus.close();
    }
  });
});
