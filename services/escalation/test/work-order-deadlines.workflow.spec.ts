import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { testServers } from '@complaints/devstack';
import { sourceBundlerOptions } from '@complaints/service-kit';
import { PRELOADED_MODULES } from '../src/lifecycle/preloaded-modules';
import { createWorkOrderActivities, type OverdueMark } from '../src/work-orders/work-order.activities';
import { workOrderDeadlinesWorkflow, workOrderWorkflowId } from '../src/work-orders/work-order.workflow';

// The work order's timers on Temporal's time-skipping server: nothing waits on the wall clock.
describe('work order deadlines workflow', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `work-orders-test-${randomUUID().slice(0, 8)}`;
  /** What intake was asked, with the (skipped) time it was asked at. */
  const marks: (OverdueMark & { at: number })[] = [];
  /** Work orders intake does not know (a raise that failed after its timer started). */
  const unknown = new Set<string>();

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../src/work-orders/work-order.workflow'),
      bundlerOptions: sourceBundlerOptions(PRELOADED_MODULES),
      activities: createWorkOrderActivities({
        markOverdue: async (mark) => {
          if (unknown.has(mark.workOrderId)) throw Object.assign(new Error('work order not found'), { code: 5 });
          marks.push({ ...mark, at: await env.currentTimeMs() });
        },
      }),
    });
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const start = async (arriveInMs: number, completeInMs: number) => {
    const now = await env.currentTimeMs();
    const input = {
      groupId: 'g1',
      workOrderId: randomUUID(),
      arriveBy: new Date(now + arriveInMs).toISOString(),
      completeBy: new Date(now + completeInMs).toISOString(),
    };
    const handle = await env.client.workflow.start(workOrderDeadlinesWorkflow, {
      taskQueue,
      workflowId: workOrderWorkflowId(input.groupId, input.workOrderId),
      args: [input],
    });
    return { handle, input };
  };
  const marksOf = (id: string) => marks.filter((mark) => mark.workOrderId === id);

  it('asks intake to mark the arrival, then the completion, each at its time and not before', async () => {
    const { handle, input } = await start(30 * 60_000, 4 * 3_600_000);
    await env.sleep('29m');
    expect(marksOf(input.workOrderId)).toEqual([]);
    await env.sleep('2m');
    expect(marksOf(input.workOrderId).map((mark) => mark.stage)).toEqual(['arrival']);
    expect(marksOf(input.workOrderId)[0].at).toBeGreaterThanOrEqual(Date.parse(input.arriveBy));
    await handle.result();
    const [, completion] = marksOf(input.workOrderId);
    expect(completion).toMatchObject({ stage: 'completion', groupId: 'g1' });
    expect(completion.at).toBeGreaterThanOrEqual(Date.parse(input.completeBy));
    expect(completion.at).toBeLessThan(Date.parse(input.completeBy) + 60_000);
  });

  it('ends quietly for a work order intake never stored', async () => {
    const now = await env.currentTimeMs();
    const workOrderId = randomUUID();
    unknown.add(workOrderId);
    const handle = await env.client.workflow.start(workOrderDeadlinesWorkflow, {
      taskQueue,
      workflowId: workOrderWorkflowId('g1', workOrderId),
      args: [
        {
          groupId: 'g1',
          workOrderId,
          arriveBy: new Date(now + 60_000).toISOString(),
          completeBy: new Date(now + 120_000).toISOString(),
        },
      ],
    });
    await expect(handle.result()).resolves.toBeUndefined();
    expect(marksOf(workOrderId)).toEqual([]);
  });
});
