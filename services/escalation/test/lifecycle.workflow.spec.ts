import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { testServers } from '@complaints/devstack';
import { EventBus, payloadOf } from '@complaints/messaging';
import type { v1 } from '@complaints/contracts';
import { createActivities } from '../src/lifecycle/activities';
import { stateQuery, withdrawSignal } from '../src/lifecycle/messages';
import { StartLifecycle } from '../src/lifecycle/use-cases/start-lifecycle';
import { EscalationConfig } from '../src/config';
import { LIFECYCLE_TASK_QUEUE, lifecycleWorkflowId, type LifecycleInput } from '../src/lifecycle/types';
import { complaintLifecycleWorkflow } from '../src/lifecycle/workflow';

// Timers run on Temporal's time-skipping server; the breach is published on the real NATS.
describe('complaint lifecycle workflow: first-reply deadline', () => {
  let env: TestWorkflowEnvironment;
  let bus: EventBus;
  let worker: Worker;
  let running: Promise<void>;
  const breaches: v1.EventEnvelope[] = [];

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'lifecycle-test' });
    await bus.consume(
      { name: `lifecycle-test-${randomUUID().slice(0, 8)}`, types: ['deadline_breached'] },
      async (event) => {
        breaches.push(event);
      },
    );
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: LIFECYCLE_TASK_QUEUE,
      workflowsPath: require.resolve('../src/lifecycle/workflow'),
      activities: createActivities({ bus }),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await bus.close();
    await env.teardown();
  });

  async function start(severity: LifecycleInput['severity']) {
    const complaintId = randomUUID();
    const input: LifecycleInput = {
      groupId: 'g1',
      complaintId,
      number: 'SHM01-20261123-0001',
      propertyId: 'shm01',
      category: 'other',
      severity,
      department: 'customer_service',
      receivedAt: new Date(await env.currentTimeMs()).toISOString(),
    };
    const handle = await env.client.workflow.start(complaintLifecycleWorkflow, {
      taskQueue: LIFECYCLE_TASK_QUEUE,
      workflowId: lifecycleWorkflowId(complaintId),
      args: [input],
    });
    return { handle, complaintId, input };
  }

  async function breachesOf(complaintId: string): Promise<v1.EventEnvelope[]> {
    for (let i = 0; i < 100; i++) {
      const found = breaches.filter((event) => event.complaintId === complaintId);
      if (found.length > 0) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [];
  }

  it('holds a general complaint one hour before it breaches, then escalates one level', async () => {
    const { handle, complaintId, input } = await start('general');
    const state = await handle.query(stateQuery);
    expect(state).toMatchObject({ status: 'assigned', level: 'frontline', severity: 'general' });
    expect(state.deadlines[0]).toMatchObject({
      name: 'firstReplyBy',
      dueAt: new Date(Date.parse(input.receivedAt) + 3_600_000).toISOString(),
      breached: false,
    });

    await env.sleep('59m');
    expect((await handle.query(stateQuery)).deadlines[0].breached).toBe(false);

    await env.sleep('2m');
    const after = await handle.query(stateQuery);
    expect(after.deadlines[0].breached).toBe(true);
    expect(after.level).toBe('supervisor');

    const published = await breachesOf(complaintId);
    expect(published).toHaveLength(1);
    expect(payloadOf(published[0], 'deadline_breached')).toMatchObject({
      deadline: 'firstReplyBy',
      severity: 'general',
    });
    await handle.terminate('test done');
  });

  it('gives a major complaint 24 hours', async () => {
    const { handle } = await start('major');
    await env.sleep('23h');
    expect((await handle.query(stateQuery)).deadlines[0].breached).toBe(false);
    await env.sleep('2h');
    expect((await handle.query(stateQuery)).deadlines[0].breached).toBe(true);
    await handle.terminate('test done');
  });

  it('ends when the complaint is withdrawn, and never breaches afterwards', async () => {
    const { handle, complaintId } = await start('general');
    await env.sleep('10m');
    await handle.signal(withdrawSignal, { reason: '已协商' });
    await handle.result();
    await env.sleep('2h');
    expect(breaches.filter((event) => event.complaintId === complaintId)).toEqual([]);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
  // Last on purpose: after the refused starts below, the test server's env.sleep no longer
  // returned (seen with temporal-test-server 1.40), so no test may sleep after this one.
  it('starts one workflow per complaint however often the routed event arrives', async () => {
    const complaintId = randomUUID();
    const startLifecycle = new StartLifecycle(env.client, new EscalationConfig({}));
    const input: LifecycleInput = {
      groupId: 'g1',
      complaintId,
      number: 'SHM01-20261123-0002',
      propertyId: 'shm01',
      category: 'other',
      severity: 'important',
      department: 'customer_service',
      receivedAt: new Date(await env.currentTimeMs()).toISOString(),
    };
    expect(await startLifecycle.execute(input)).toBe('started');
    expect(await startLifecycle.execute(input)).toBe('already-started');
    const handle = env.client.workflow.getHandle(lifecycleWorkflowId(complaintId));
    await handle.terminate('test done');
    // Not even after it ended.
    expect(await startLifecycle.execute(input)).toBe('already-started');
  });
});
