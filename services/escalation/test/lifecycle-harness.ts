import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import mongoose from 'mongoose';
import type { RoleLevel } from '@complaints/domain';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { sourceBundlerOptions } from '@complaints/service-kit';
import { EventBus, payloadOf } from '@complaints/messaging';
import type { v1 } from '@complaints/contracts';
import { CN_MAINLAND_CALENDAR } from '../src/deadlines/cn-mainland-calendar';
import { DEFAULT_POLICY } from '../src/policies/deadline-policy';
import { createActivities } from '../src/lifecycle/activities';
import { LifecycleRecord, LifecycleRecords, LifecycleRecordSchema } from '../src/lifecycle/lifecycle-records';
import { PRELOADED_MODULES } from '../src/lifecycle/preloaded-modules';
import { actionUpdates, stateQuery, withdrawSignal } from '../src/lifecycle/messages';
import {
  lifecycleWorkflowId,
  type ActingStaff,
  type ActionRequest,
  type LifecycleInput,
  type LifecycleState,
} from '../src/lifecycle/types';
import { complaintLifecycleWorkflow } from '../src/lifecycle/workflow';

/** Staff of every ladder level, as the escalation service resolves them from the directory. */
export const staff = (level: RoleLevel): ActingStaff => ({ id: `s-${level}`, name: `${level} staff`, level });

type LifecycleHandle = WorkflowHandle<typeof complaintLifecycleWorkflow>;

/**
 * The lifecycle workflow on Temporal's time-skipping test server, its events published on the
 * real NATS and collected here, so each test can skip days and look at what was published.
 */
export class LifecycleHarness {
  readonly taskQueue = `lifecycle-test-${randomUUID().slice(0, 8)}`;
  private readonly events: v1.EventEnvelope[] = [];
  private worker?: Worker;
  private running?: Promise<void>;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly bus: EventBus,
    private readonly store: mongoose.Connection,
    /** The lifecycle records the activities keep (escalation's database, one per harness). */
    readonly records: LifecycleRecords,
  ) {}

  static async create(options: { cache: boolean } = { cache: true }): Promise<LifecycleHarness> {
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServer } },
    });
    const bus = await EventBus.connect({ url: testServers().natsUrl, name: 'lifecycle-test' });
    const store = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('escalation_lifecycle') })
      .asPromise();
    const records = new LifecycleRecords(store.model(LifecycleRecord.name, LifecycleRecordSchema));
    const harness = new LifecycleHarness(env, bus, store, records);
    await bus.consume(
      {
        name: `lifecycle-test-${randomUUID().slice(0, 8)}`,
        types: ['transitioned', 'deadline_reminder', 'deadline_breached', 'escalated'],
      },
      async (event) => {
        harness.events.push(event);
      },
    );
    await harness.startWorker(options);
    return harness;
  }

  /** `cache: false` replays every workflow task from the start (a worker taking over another's work). */
  async startWorker(options: { cache: boolean } = { cache: true }): Promise<void> {
    this.worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      workflowsPath: require.resolve('../src/lifecycle/workflow'),
      bundlerOptions: sourceBundlerOptions(PRELOADED_MODULES),
      activities: createActivities({ bus: this.bus, records: this.records }),
      // Without the sticky cache no task waits on a stopped worker's sticky queue (the test
      // server never times those out), and every task replays the history from the start.
      ...(options.cache ? {} : { maxCachedWorkflows: 0 }),
    });
    this.running = this.worker.run();
  }

  async stopWorker(): Promise<void> {
    this.worker?.shutdown();
    await this.running;
  }

  async teardown(): Promise<void> {
    await this.stopWorker();
    await this.bus.close();
    await this.store.dropDatabase();
    await this.store.close();
    await this.env.teardown();
  }

  async input(overrides: Partial<LifecycleInput> = {}): Promise<LifecycleInput> {
    return {
      groupId: 'g1',
      complaintId: randomUUID(),
      number: 'SHM01-20261123-0001',
      propertyId: 'p1',
      regionId: 'r1',
      channel: 'phone',
      category: 'service_quality',
      severity: 'general',
      department: 'customer_service',
      receivedAt: new Date(await this.env.currentTimeMs()).toISOString(),
      handler: { id: 's-frontline', name: 'frontline staff' },
      propertyHead: null,
      alertGroupHq: false,
      policy: DEFAULT_POLICY,
      calendar: CN_MAINLAND_CALENDAR,
      ...overrides,
    };
  }

  async start(overrides: Partial<LifecycleInput> = {}): Promise<{ handle: LifecycleHandle; input: LifecycleInput }> {
    const input = await this.input(overrides);
    const handle = await this.env.client.workflow.start(complaintLifecycleWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: lifecycleWorkflowId(input.complaintId),
      args: [input],
    });
    return { handle, input };
  }

  /** Runs the action's update; a refusal by the validator is thrown as its reason. */
  async act(handle: LifecycleHandle, request: ActionRequest): Promise<LifecycleState> {
    try {
      return await handle.executeUpdate(actionUpdates[request.action], { args: [request] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause) throw error.cause;
      throw error;
    }
  }

  /**
   * Ends a test's workflow the way a complaint ends (withdrawn), and waits for it. Terminating
   * instead, while a workflow task was in flight, left the time-skipping server unable to skip
   * time for the rest of the run (temporal-test-server 1.40).
   */
  async finish(handle: LifecycleHandle): Promise<void> {
    await handle.signal(withdrawSignal, { reason: 'test done' });
    await handle.result();
  }

  state(handle: LifecycleHandle): Promise<LifecycleState> {
    return handle.query(stateQuery);
  }

  /** Skips time on the test server: `47h`, `2d1h`, `59m` … */
  async sleep(duration: string): Promise<void> {
    const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };
    let ms = 0;
    for (const [, amount, unit] of duration.matchAll(/(\d+)([dhms])/g)) ms += Number(amount) * units[unit];
    await this.env.sleep(ms);
  }

  /** Events of one complaint published so far (NATS delivers them a moment after the activity). */
  async eventsOf(complaintId: string, atLeast = 1): Promise<v1.EventEnvelope[]> {
    let found: v1.EventEnvelope[] = [];
    for (let i = 0; i < 100; i++) {
      found = this.events.filter((event) => event.complaintId === complaintId);
      if (found.length >= atLeast) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return found.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  }

  /** A compact picture of the events: `breached:firstReplyBy`, `escalated:frontline>supervisor` … */
  async storyOf(complaintId: string, atLeast = 1): Promise<string[]> {
    return (await this.eventsOf(complaintId, atLeast)).map(describe);
  }
}

export function describe(event: v1.EventEnvelope): string {
  const transitioned = payloadOf(event, 'transitioned');
  if (transitioned) return `${transitioned.action}:${transitioned.toStatus}`;
  const reminder = payloadOf(event, 'deadline_reminder');
  if (reminder) return `reminder:${reminder.deadline}`;
  const breached = payloadOf(event, 'deadline_breached');
  if (breached) return `breached:${breached.deadline}`;
  const escalated = payloadOf(event, 'escalated');
  if (escalated) return `escalated:${escalated.fromLevel}>${escalated.toLevel}`;
  return event.type;
}

export function deadline(state: LifecycleState, name: string) {
  const clock = state.clocks.find((candidate) => candidate.name === name);
  if (!clock) throw new Error(`no ${name} clock`);
  return clock;
}
