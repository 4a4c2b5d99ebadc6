import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus } from '@complaints/messaging';
import type { DirectoryClient } from '@complaints/service-kit';
import { preloadBatches } from '../../../bench/src/preload/generate';
import type { PreloadComplaint } from '../../../bench/src/preload/complaint';
import { preloadRouting } from '../../../bench/src/preload/routing';
import { AssignComplaint } from '../src/assignment/assign-complaint';
import {
  Decision,
  DecisionSchema,
  RoutingSettings,
  RoutingSettingsSchema,
} from '../src/classification/decision.schema';
import { DecisionsRepository } from '../src/classification/decisions.repository';
import { RoutingSettingsRepository } from '../src/classification/routing-settings';
import { CloseAndErase } from '../src/classification/use-cases/close-and-erase';
import { RouteComplaint } from '../src/classification/use-cases/route-complaint';
import { FindCase } from '../src/collective/find-case';
import type { IntakeClient } from '../src/collective/intake.client';
import { ComplainantHistories } from '../src/keyed/complainant-histories';
import { HandlerLoads } from '../src/keyed/handler-loads';
import { KeyedDocuments } from '../src/keyed/keyed-documents';
import {
  ComplainantHistory,
  ComplainantHistorySchema,
  HandlerLoad,
  HandlerLoadSchema,
  OpenCases,
  OpenCasesSchema,
} from '../src/keyed/keyed.schema';
import { OpenCasesLists } from '../src/keyed/open-cases';

// The bench's preload (bench/src/preload/routing.ts) writes what routing itself reads: a complaint
// routed after it finds the preloaded complainant's open case, and the handlers' loads add up.
describe('bench preload of routing', () => {
  let connection: mongoose.Connection;
  let bus: EventBus;
  let route: RouteComplaint;
  let closeAndErase: CloseAndErase;
  const preloaded: PreloadComplaint[] = [];

  beforeAll(async () => {
    const dbName = uniqueDatabase('routing_preload');
    for (const batch of preloadBatches(3_000, 1_000)) {
      await preloadRouting({ mongoUrl: testServers().mongoUrl, dbName }, batch);
      preloaded.push(...batch);
    }
    connection = await mongoose.createConnection(testServers().mongoUrl, { dbName }).asPromise();
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'routing-preload-test' });
    const seed = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'intake', 'seed', 'demo-group.json'), 'utf8'),
    ) as Pick<v1.ListDirectoryResponse, 'departments' | 'staff'>;
    const directory = v1.ListDirectoryResponse.fromPartial({ departments: seed.departments, staff: seed.staff });
    const decisions = new DecisionsRepository(connection.model(Decision.name, DecisionSchema));
    const loads = new HandlerLoads(connection.model(HandlerLoad.name, HandlerLoadSchema));
    const keyed = new KeyedDocuments(
      new ComplainantHistories(connection.model(ComplainantHistory.name, ComplainantHistorySchema)),
      new OpenCasesLists(connection.model(OpenCases.name, OpenCasesSchema)),
      loads,
    );
    route = new RouteComplaint(
      decisions,
      new RoutingSettingsRepository(connection.model(RoutingSettings.name, RoutingSettingsSchema)),
      new AssignComplaint({ directory: () => Promise.resolve(directory) } as unknown as DirectoryClient, loads),
      new FindCase(decisions, {} as IntakeClient, bus, loads),
      keyed,
      bus,
    );
    closeAndErase = new CloseAndErase(decisions, keyed);
  });
  afterAll(async () => {
    await bus?.close();
    await connection?.dropDatabase();
    await connection?.close();
  });

  const loadsTotal = async () =>
    (await connection.collection<{ open: number }>('routing_handler_loads').find().toArray()).reduce(
      (sum, load) => sum + load.open,
      0,
    );

  it('links a new report of a preloaded complainant to the open case, and counts loads from the preload', async () => {
    const open = preloaded.filter((complaint) => complaint.closedAt === null);
    // Most of a year's complaints are closed: only the open ones count against their handlers.
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(preloaded.length);
    expect(await loadsTotal()).toBe(open.length);
    // The latest open complaint of a complainant who complains again.
    const earlier = open.filter((complaint) => preloaded.indexOf(complaint) % 10 === 0).at(-1) as PreloadComplaint;
    const again = v1.Complaint.fromPartial({
      id: randomUUID(),
      number: 'BENCH-AGAIN',
      propertyId: earlier.propertyId,
      channel: 'phone',
      description: '还是没有人处理',
      categoryHint: earlier.category,
      complainant: { type: 'consumer' },
      complainantKey: earlier.complainantKey,
      receivedAt: new Date().toISOString(),
    });
    const decision = await route.execute(earlier.groupId, again);
    // The oldest of the complainant's open cases in that category at the property, this month.
    const oldest = open.find(
      (complaint) =>
        complaint.complainantKey === earlier.complainantKey &&
        complaint.propertyId === earlier.propertyId &&
        complaint.category === earlier.category &&
        complaint.receivedAt.getTime() >= Date.now() - 30 * 24 * 60 * 60 * 1000,
    );
    expect(decision).toMatchObject({ mergedInto: oldest?.id, mergeReason: 'duplicate' });

    const newcomer = await route.execute(
      earlier.groupId,
      v1.Complaint.fromPartial({
        ...again,
        id: randomUUID(),
        number: 'BENCH-NEW',
        complainantKey: 'someone-new',
      }),
    );
    expect(newcomer.handler).not.toBeNull();
    expect(await loadsTotal()).toBe(open.length + 1);
    // A preloaded complaint withdrawn: its handler's load goes down.
    await closeAndErase.close(earlier.groupId, earlier.id);
    expect(await loadsTotal()).toBe(open.length);
  });
});
