import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { eventually, testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus, payloadOf } from '@complaints/messaging';
import { sourceBundlerOptions } from '@complaints/service-kit';
import { createCorrectiveActivities } from '../src/corrective-actions/activities';
import {
  CorrectiveActionRecord,
  CorrectiveActionRecords,
  CorrectiveActionRecordSchema,
} from '../src/corrective-actions/corrective-action-records';
import { takeStep, type CorrectiveAction } from '../src/corrective-actions/steps';
import {
  correctiveActionChanged,
  correctiveActionWorkflow,
  correctiveActionWorkflowId,
} from '../src/corrective-actions/workflow';
import { PRELOADED_MODULES } from '../src/lifecycle/preloaded-modules';

// The corrective action's timer on Temporal's time-skipping server (nothing waits on the wall
// clock), its record in a real database (FerretDB in tests).
describe('corrective action timer (纠正与预防措施)', () => {
  const DAY = 86_400_000;
  let env: TestWorkflowEnvironment;
  let store: mongoose.Connection;
  let records: CorrectiveActionRecords;
  let worker: Worker;
  let bus: EventBus;
  const reminders: v1.EventEnvelope[] = [];
  let running: Promise<void>;
  const taskQueue = `corrective-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    store = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('escalation_corrective') })
      .asPromise();
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'corrective-test' });
    await bus.consume(
      { name: `corrective-test-${randomUUID().slice(0, 8)}`, types: ['deadline_reminder'] },
      async (event) => {
        reminders.push(event);
      },
    );
    records = new CorrectiveActionRecords(store.model(CorrectiveActionRecord.name, CorrectiveActionRecordSchema));
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../src/corrective-actions/workflow'),
      bundlerOptions: sourceBundlerOptions(PRELOADED_MODULES),
      activities: createCorrectiveActivities({ records, bus }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker.shutdown();
    await running;
    await bus.close();
    await store.dropDatabase();
    await store.close();
    await env.teardown();
  });

  const owner = { id: 's-owner', name: '陈杰', level: 'manager' as const };
  const verifier = { id: 's-boss', name: '刘洋', level: 'property_head' as const };

  async function opened(dueInDays: number) {
    const now = await env.currentTimeMs();
    const action = await records.open({
      id: `c-${randomUUID()}:round-1`,
      groupId: 'g1',
      propertyId: 'p1',
      regionId: 'r1',
      complaintId: 'c1',
      source: 'resolution',
      category: '',
      description: '湿拖作业必须放置警示牌',
      owner,
      dueAt: new Date(now + dueInDays * DAY).toISOString(),
      status: 'open',
      overdueAt: null,
      createdAt: new Date(now).toISOString(),
      history: [],
      version: 1,
    });
    const handle = await env.client.workflow.start(correctiveActionWorkflow, {
      taskQueue,
      workflowId: correctiveActionWorkflowId(action.id),
      args: [{ groupId: action.groupId, id: action.id, dueAt: action.dueAt }],
    });
    return { action, handle };
  }

  /** A step as the service takes it: saved over its version, then the timer told. */
  async function step(action: CorrectiveAction, name: 'done' | 'verify' | 'return', text = '') {
    const actor = name === 'done' ? owner : verifier;
    const after = takeStep(action, name, actor, text, new Date(await env.currentTimeMs()));
    expect(await records.save(after)).toBe(true);
    await env.client.workflow.getHandle(correctiveActionWorkflowId(action.id)).signal(correctiveActionChanged, {
      status: after.status,
    });
    return after;
  }

  const stored = async (id: string) => (await records.find('g1', id))!;

  it('is overdue once its due time passes without it being done', async () => {
    const { action, handle } = await opened(3);
    await env.sleep(2 * DAY);
    expect((await stored(action.id)).overdueAt).toBeNull();
    await env.sleep(DAY + 60_000);
    const overdue = await stored(action.id);
    expect(overdue.overdueAt).not.toBeNull();
    expect(overdue.history.map((entry) => entry.step)).toEqual(['overdue']);
    // Its owner is told once, through a reminder on the complaint (notification sends it on).
    const told = await eventually(
      async () =>
        reminders.find((event) => payloadOf(event, 'deadline_reminder')?.deadline === 'correctiveActionOverdue'),
      'the overdue reminder',
    );
    expect(told.complaintId).toBe('c1');
    expect(payloadOf(told, 'deadline_reminder')?.staff).toMatchObject({ id: 's-owner' });
    expect(
      (
        await records.list({
          groupId: 'g1',
          propertyIds: ['p1'],
          regionId: '',
          status: 'overdue',
          ownerId: '',
          limit: 50,
        })
      ).map((a) => a.id),
    ).toContain(action.id);
    // Done late, then verified: the timer ends with it.
    const done = await step(await stored(action.id), 'done', '已培训全员并配备警示牌');
    await step(done, 'verify');
    await handle.result();
    expect((await stored(action.id)).status).toBe('verified');
  });

  it('is not overdue when done in time, and is at once when sent back after its due time', async () => {
    const { action, handle } = await opened(3);
    await env.sleep(DAY);
    const done = await step(action, 'done', '已培训全员');
    await env.sleep(5 * DAY);
    expect((await stored(action.id)).overdueAt).toBeNull();
    await step(await stored(action.id), 'return', '抽查仍有未放警示牌的情况');
    await env.sleep(60_000);
    const returned = await stored(action.id);
    expect(returned).toMatchObject({ status: 'open' });
    expect(returned.overdueAt).not.toBeNull();
    expect(returned.history.map((entry) => entry.step)).toEqual(['done', 'returned', 'overdue']);
    expect(done.status).toBe('done');
    await step(await step(returned, 'done', '已补充培训'), 'verify');
    await handle.result();
  });
});
