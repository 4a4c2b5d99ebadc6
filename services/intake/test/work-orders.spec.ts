import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { eventually, testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus, payloadOf, workOrderKey } from '@complaints/messaging';
import { serviceModule } from '@complaints/service-kit';
import { ComplaintsModule } from '../src/complaints/complaints.module';
import { ComplaintsRepository } from '../src/complaints/complaints.repository';
import { OutboxRelay } from '../src/complaints/outbox-relay';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { IntakeConfig } from '../src/config';
import { TimelineRepository } from '../src/timeline/timeline.repository';
import { WorkOrders, type RaiseInput } from '../src/work-orders/use-cases/work-orders';
import { WorkOrderEvents } from '../src/work-orders/work-order-events';
import { WorkOrdersModule } from '../src/work-orders/work-orders.module';
import { WorkOrdersRepository } from '../src/work-orders/work-orders.repository';
import { DEMO_SEED, domainError, PARTNER, registration } from './fixtures';

const HOUR = 3_600_000;

// Intake's work orders on its real wiring (FerretDB, NATS) in this process, with the demo seed:
// what escalation's timers ask for, and what the complaint's timeline says.
describe('intake: work orders overdue and on the complaint’s timeline', () => {
  let app: INestApplicationContext;
  let workOrders: WorkOrders;
  let register: RegisterComplaint;
  const published: v1.EventEnvelope[] = [];

  beforeAll(async () => {
    const servers = testServers();
    app = await NestFactory.createApplicationContext(
      serviceModule({
        name: 'intake-work-orders-test',
        config: new IntakeConfig({
          SEED_FILE: DEMO_SEED,
          MONGO_URL: servers.mongoUrl,
          MONGO_DB: uniqueDatabase('intake_work_orders'),
          NATS_URL: servers.natsUrl,
          NATS_CONSUMER_PREFIX: `t${randomUUID().slice(0, 8)}_`,
        }),
        configClass: IntakeConfig,
        features: [ComplaintsModule, WorkOrdersModule],
        protoFiles: [],
        mongo: true,
        grpcCallers: {},
      }),
      { logger: ['error'] },
    );
    await app.init();
    workOrders = app.get(WorkOrders);
    register = app.get(RegisterComplaint);
    await app
      .get(EventBus)
      .consume({ name: `work-orders-test-${randomUUID().slice(0, 8)}`, types: ['work_order'] }, async (event) => {
        published.push(event);
      });
  });
  afterAll(async () => {
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  const raise = (overrides: Partial<RaiseInput> = {}) => {
    const now = Date.now();
    return workOrders.raise({
      groupId: 'demo-group',
      id: randomUUID(),
      propertyId: 'sh-mall',
      location: 'L2-15',
      trade: 'hvac',
      urgency: 'urgent',
      description: '空调漏水',
      channel: 'phone',
      complaintId: '',
      requester: '',
      complaintWaits: false,
      actor: PARTNER,
      raisedAt: new Date(now - 3 * HOUR),
      arriveBy: new Date(now - 2 * HOUR),
      completeBy: new Date(now + 5 * HOUR),
      ...overrides,
    });
  };

  async function timelineTypes(complaintId: string): Promise<string[]> {
    const complaint = await app.get(ComplaintsRepository).findById('demo-group', complaintId);
    const { entries } = await app
      .get(TimelineRepository)
      .page('demo-group', complaintId, complaint?.timeline?.seq ?? 0, { afterSeq: 0, limit: 100 });
    return entries.map((entry) => entry.type);
  }

  it('marks a missed arrival once, on the linked complaint’s timeline too, and leaves a stage done in time alone', async () => {
    const { complaint } = await register.execute(registration());
    const order = await raise({ complaintId: complaint._id, propertyId: '' });
    expect(order).toMatchObject({ propertyId: 'sh-mall', channel: 'complaint', complaintNumber: complaint.number });

    const marked = await workOrders.markOverdue('demo-group', order._id, 'arrival');
    expect(marked).toMatchObject({ arrivalOverdue: true, completionOverdue: false });
    // A retried timer activity changes nothing more.
    await workOrders.markOverdue('demo-group', order._id, 'arrival');
    expect((await timelineTypes(complaint._id)).filter((type) => type === 'work_order_overdue')).toHaveLength(1);

    await workOrders.dispatch('demo-group', order._id, 's-wang-lei', PARTNER);
    await workOrders.arrive('demo-group', order._id, PARTNER, undefined);
    await workOrders.complete('demo-group', order._id, PARTNER, {
      workDone: '清理冷凝水管',
      materials: [],
      photos: [],
    });
    // Completed before complete-by: the completion timer finds nothing to mark.
    const done = await workOrders.markOverdue('demo-group', order._id, 'completion');
    expect(done).toMatchObject({ status: 'completed', completionOverdue: false });
  });

  it('records a late arrival as overdue even before the timer says so', async () => {
    const order = await raise();
    await workOrders.dispatch('demo-group', order._id, 's-wang-lei', PARTNER);
    const arrived = await workOrders.arrive('demo-group', order._id, PARTNER, undefined);
    expect(arrived).toMatchObject({ status: 'arrived', arrivalOverdue: true });
  });

  it('refuses unknown stages, work orders of other groups and steps out of order', async () => {
    const order = await raise();
    expect((await domainError(workOrders.markOverdue('demo-group', order._id, 'lunch'))).code).toBe('invalid_argument');
    expect((await domainError(workOrders.markOverdue('other-group', order._id, 'arrival'))).code).toBe('not_found');
    expect((await domainError(workOrders.arrive('demo-group', order._id, PARTNER, undefined))).code).toBe(
      'failed_precondition',
    );
    const future = new Date(Date.now() + 2 * HOUR);
    await workOrders.dispatch('demo-group', order._id, 's-wang-lei', PARTNER);
    expect((await domainError(workOrders.arrive('demo-group', order._id, PARTNER, future))).code).toBe(
      'invalid_argument',
    );
  });

  /** The work order's events as they arrived, once a little time has passed for any duplicate. */
  async function stepsOf(id: string, count: number) {
    const of = () => published.filter((event) => event.complaintId === workOrderKey(id));
    await eventually(async () => of().length >= count || undefined, `${count} events of work order ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return of().map((event) => payloadOf(event, 'work_order')!);
  }

  it('publishes each step of a standalone work order once, on its own key', async () => {
    const order = await raise();
    // A retried raise is the same work order and the same event.
    await raise({ id: order._id });
    await workOrders.markOverdue('demo-group', order._id, 'arrival');
    await workOrders.markOverdue('demo-group', order._id, 'arrival');
    await workOrders.dispatch('demo-group', order._id, 's-wang-lei', PARTNER);
    await workOrders.arrive('demo-group', order._id, PARTNER, undefined);
    await workOrders.complete('demo-group', order._id, PARTNER, { workDone: '更换排水管', materials: [], photos: [] });
    await workOrders.confirm('demo-group', order._id, PARTNER, { fixed: false, rating: 2, feedback: '还在漏' });
    await workOrders.arrive('demo-group', order._id, PARTNER, undefined);
    await workOrders.complete('demo-group', order._id, PARTNER, { workDone: '重新密封', materials: [], photos: [] });
    await workOrders.confirm('demo-group', order._id, PARTNER, { fixed: true, rating: 4, feedback: '' });
    const steps = await stepsOf(order._id, 9);
    expect(steps.map((step) => step.step)).toEqual([
      'raised',
      'overdue',
      'dispatched',
      'arrived',
      'completed',
      'rework',
      'arrived',
      'completed',
      'confirmed',
    ]);
    expect(steps[0]).toMatchObject({
      workOrderId: order._id,
      number: order.number,
      propertyId: 'sh-mall',
      complaintId: '',
      // What its assignee is told: where, and by when.
      location: 'L2-15',
      arriveBy: order.arriveBy.toISOString(),
      completeBy: order.completeBy.toISOString(),
    });
    // Not dispatched yet: nobody to name.
    expect(steps[1]).toMatchObject({ stage: 'arrival', assignee: undefined });
    expect(steps[2]).toMatchObject({ assignee: { id: 's-wang-lei' } });
    // Arrived after its arrive-by (raised 3 h ago, due 2 h ago).
    expect(steps[3]).toMatchObject({ late: true });
    expect(steps[4]).toMatchObject({ late: false });
    // Every step once dispatched names its assignee (told of a rework or an overdue).
    expect(steps[5]).toMatchObject({ rating: 2, reworks: 1, assignee: { id: 's-wang-lei' } });
    expect(steps[8]).toMatchObject({ rating: 4, reworks: 1 });
    const events = published.filter((event) => event.complaintId === workOrderKey(order._id));
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  });

  it('names the complaint it was raised from, and a repeat repair of the same unit', async () => {
    const { complaint } = await register.execute(registration());
    const location = `B1-${randomUUID().slice(0, 6)}`;
    const first = await raise({ location });
    const again = await raise({ complaintId: complaint._id, propertyId: '', location });
    const [raised] = await stepsOf(again._id, 1);
    expect(raised).toMatchObject({ step: 'raised', complaintId: complaint._id, repeatOfId: first._id });
  });

  it('publishes a stored step whose publish was cut off through the outbox relay, once', async () => {
    const order = await raise();
    const repository = app.get(WorkOrdersRepository);
    const events = app.get(WorkOrderEvents);
    // The step as the use case writes it, the process stopping before the publish.
    await repository.update(
      'demo-group',
      order._id,
      () => ({ status: 'dispatched', assigneeId: 's-wang-lei', assigneeName: '王磊', dispatchedAt: new Date() }),
      async (before, after) => ({
        eventIds: (await events.pending(before, after, { step: 'dispatched', actor: PARTNER, at: new Date() }))
          .eventIds,
      }),
    );
    // A pending event whose step was never stored (the write failed) is dropped, not published.
    const never = await events.pending(
      order,
      { ...order, status: 'dispatched' },
      {
        step: 'dispatched',
        actor: PARTNER,
        at: new Date(),
      },
    );
    expect(never.eventIds).toHaveLength(2);
    const relay = app.get(OutboxRelay);
    await relay.relayOnce(Date.now() + 10 * 60_000);
    await relay.relayOnce(Date.now() + 10 * 60_000);
    const steps = await stepsOf(order._id, 2);
    expect(steps.map((step) => step.step)).toEqual(['raised', 'dispatched']);
  });
});
