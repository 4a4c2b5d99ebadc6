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
  CorrectiveActionEvents,
  RELAY_AFTER_MS,
  UnpublishedCorrectiveAction,
  UnpublishedCorrectiveActionSchema,
} from '../src/corrective-actions/corrective-action-events';
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
  let events: CorrectiveActionEvents;
  const published: v1.EventEnvelope[] = [];
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
      { name: `corrective-test-${randomUUID().slice(0, 8)}`, types: ['deadline_reminder', 'corrective_action'] },
      async (event) => {
        (event.type === 'corrective_action' ? published : reminders).push(event);
      },
    );
    records = new CorrectiveActionRecords(store.model(CorrectiveActionRecord.name, CorrectiveActionRecordSchema));
    events = new CorrectiveActionEvents(
      store.model(UnpublishedCorrectiveAction.name, UnpublishedCorrectiveActionSchema),
      records,
      bus,
    );
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../src/corrective-actions/workflow'),
      bundlerOptions: sourceBundlerOptions(PRELOADED_MODULES),
      activities: createCorrectiveActivities({ records, bus, events }),
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

  /** `complaintId` given: opened as the service opens it, its history starting with the opening. */
  async function opened(dueInDays: number, complaintId?: string) {
    const now = await env.currentTimeMs();
    const opening = {
      step: 'opened' as const,
      at: new Date(now).toISOString(),
      by: null,
      text: '湿拖作业必须放置警示牌',
    };
    const action = await records.open({
      id: `c-${randomUUID()}:round-1`,
      groupId: 'g1',
      propertyId: 'p1',
      regionId: 'r1',
      complaintId: complaintId ?? 'c1',
      source: 'resolution',
      category: '',
      description: '湿拖作业必须放置警示牌',
      owner,
      dueAt: new Date(now + dueInDays * DAY).toISOString(),
      status: 'open',
      overdueAt: null,
      createdAt: new Date(now).toISOString(),
      history: complaintId ? [opening] : [],
      version: 1,
      published: 0,
    });
    const handle = await env.client.workflow.start(correctiveActionWorkflow, {
      taskQueue,
      workflowId: correctiveActionWorkflowId(action.id),
      args: [{ groupId: action.groupId, id: action.id, dueAt: action.dueAt }],
    });
    return { action, handle };
  }

  /**
   * A step as the service takes it: marked unpublished, saved over its version, published, then the
   * timer told. `stopBeforePublish`: the process stops after the save, the relay has to publish it.
   */
  async function step(
    action: CorrectiveAction,
    name: 'done' | 'verify' | 'return',
    text = '',
    stopBeforePublish = false,
  ) {
    const actor = name === 'done' ? owner : verifier;
    const after = takeStep(action, name, actor, text, new Date(await env.currentTimeMs()));
    const token = await events.expect(after.groupId, after.id);
    expect(await records.save(after)).toBe(true);
    if (!stopBeforePublish) await events.publish(after, token);
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

  it('publishes every step once on the complaint, a step the process stopped before publishing by the relay', async () => {
    const complaintId = `c-${randomUUID()}`;
    const { action, handle } = await opened(3, complaintId);
    // The opening as the service publishes it; twice (a redelivered event opening it) is once.
    await events.publish(action);
    await events.publish(action);
    const done = await step(await stored(action.id), 'done', '已培训全员', true);
    expect((await stored(action.id)).published).toBe(1);
    // Nothing is published before the request's time is up; then the relay publishes the step.
    expect(await events.relayOnce(Date.now())).toBe(0);
    expect(await events.relayOnce(Date.now() + RELAY_AFTER_MS + 1_000)).toBe(1);
    expect(await events.relayOnce(Date.now() + RELAY_AFTER_MS + 1_000)).toBe(0);
    await step(done, 'verify');
    await handle.result();
    const ofComplaint = () => published.filter((event) => event.complaintId === complaintId);
    await eventually(async () => ofComplaint().length >= 3 || undefined, 'three corrective action events');
    // A little longer: a duplicate would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const steps = ofComplaint().map((event) => payloadOf(event, 'corrective_action'));
    expect(steps.map((payload) => [payload?.step, payload?.status])).toEqual([
      ['opened', 'open'],
      ['done', 'done'],
      ['verified', 'verified'],
    ]);
    expect(steps[1]).toMatchObject({
      correctiveActionId: action.id,
      actor: { id: 's-owner' },
      text: '已培训全员',
      owner: { id: 's-owner', name: '陈杰' },
      source: 'resolution',
    });
    expect(steps[2]?.actor).toMatchObject({ id: 's-boss' });
    expect((await stored(action.id)).published).toBe(3);
  });

  it('publishes the overdue step with the reminder', async () => {
    const complaintId = `c-${randomUUID()}`;
    const { action, handle } = await opened(1, complaintId);
    await env.sleep(2 * DAY);
    const overdue = await eventually(
      async () =>
        published.find(
          (event) => event.complaintId === complaintId && payloadOf(event, 'corrective_action')?.step === 'overdue',
        ),
      'the overdue step',
    );
    expect(payloadOf(overdue, 'corrective_action')).toMatchObject({ correctiveActionId: action.id, status: 'open' });
    await step(await step(await stored(action.id), 'done', '已整改'), 'verify');
    await handle.result();
  });
});
