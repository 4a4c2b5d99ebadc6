import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { serviceModule } from '@complaints/service-kit';
import { ComplaintsModule } from '../src/complaints/complaints.module';
import { ComplaintsRepository } from '../src/complaints/complaints.repository';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { IntakeConfig } from '../src/config';
import { TimelineRepository } from '../src/timeline/timeline.repository';
import { WorkOrders, type RaiseInput } from '../src/work-orders/use-cases/work-orders';
import { WorkOrdersModule } from '../src/work-orders/work-orders.module';
import { DEMO_SEED, domainError, PARTNER, registration } from './fixtures';

const HOUR = 3_600_000;

// Intake's work orders on its real wiring (FerretDB, NATS) in this process, with the demo seed:
// what escalation's timers ask for, and what the complaint's timeline says.
describe('intake: work orders overdue and on the complaint’s timeline', () => {
  let app: INestApplicationContext;
  let workOrders: WorkOrders;
  let register: RegisterComplaint;

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
});
