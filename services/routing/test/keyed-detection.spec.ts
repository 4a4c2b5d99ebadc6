import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus } from '@complaints/messaging';
import type { DirectoryClient } from '@complaints/service-kit';
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
import { OverrideDecision } from '../src/classification/use-cases/override-decision';
import { RouteComplaint } from '../src/classification/use-cases/route-complaint';
import { COLLECTIVE_ACTOR, FindCase } from '../src/collective/find-case';
import type { IntakeClient } from '../src/collective/intake.client';
import { MergeByHand } from '../src/collective/merge-by-hand';
import { ComplainantHistories } from '../src/keyed/complainant-histories';
import { HandlerLoads, LOAD_OPS_KEPT, nextCharge } from '../src/keyed/handler-loads';
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

/** Intake's master data as routing reads it: finance with two people on duty at the mall. */
const DIRECTORY = v1.ListDirectoryResponse.fromPartial({
  departments: [
    { id: 'mall-finance', propertyId: 'mall', kind: 'finance', name: 'Finance' },
    { id: 'mall-cs', propertyId: 'mall', kind: 'customer_service', name: 'Customer service' },
    { id: 'mall-eng', propertyId: 'mall', kind: 'engineering', name: 'Engineering' },
  ],
  staff: [
    {
      id: 'fin-a',
      name: 'A',
      roleLevel: 'frontline',
      departmentId: 'mall-finance',
      propertyIds: ['mall'],
      onDuty: true,
    },
    {
      id: 'fin-b',
      name: 'B',
      roleLevel: 'frontline',
      departmentId: 'mall-finance',
      propertyIds: ['mall'],
      onDuty: true,
    },
    { id: 'cs-a', name: 'C', roleLevel: 'frontline', departmentId: 'mall-cs', propertyIds: ['mall'], onDuty: true },
    { id: 'eng-a', name: 'E', roleLevel: 'frontline', departmentId: 'mall-eng', propertyIds: ['mall'], onDuty: true },
  ],
});

const CHARGES = '停车场收费不合理，多收费';
const LEAK = { location: '3号楼地下车库', description: '3号楼地下车库大面积积水，车辆无法进出' };

// Repeats, duplicates, collective complaints and handler loads found from the keyed documents,
// against the real store and NATS (intake's directory and registration answered in process).
describe('routing detection from keyed documents', () => {
  let connection: mongoose.Connection;
  let bus: EventBus;
  let route: RouteComplaint;
  let closeAndErase: CloseAndErase;
  let mergeByHand: MergeByHand;
  let override: OverrideDecision;
  let settings: RoutingSettingsRepository;
  let loads: HandlerLoads;
  let decisions: DecisionsRepository;
  const registeredParents: v1.RegisterComplaintRequest[] = [];
  const commands: CommandStartedEvent[] = [];
  let sequence = 0;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('routing_keyed'), monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => commands.push(event));
    bus = await EventBus.connect({ url: testServers().natsUrl, name: 'routing-keyed-test' });
    decisions = new DecisionsRepository(connection.model(Decision.name, DecisionSchema));
    settings = new RoutingSettingsRepository(connection.model(RoutingSettings.name, RoutingSettingsSchema));
    loads = new HandlerLoads(connection.model(HandlerLoad.name, HandlerLoadSchema));
    const keyed = new KeyedDocuments(
      new ComplainantHistories(connection.model(ComplainantHistory.name, ComplainantHistorySchema)),
      new OpenCasesLists(connection.model(OpenCases.name, OpenCasesSchema)),
      loads,
    );
    const directory = {
      directory: () => Promise.resolve(DIRECTORY),
      forget: () => undefined,
    } as unknown as DirectoryClient;
    const intake = {
      call: {
        registerComplaint: (request: v1.RegisterComplaintRequest) => {
          registeredParents.push(request);
          // Idempotent by its key, as intake is.
          const id = `parent-${request.idempotencyKey}`;
          return Promise.resolve({ complaint: { id, number: `P-${request.idempotencyKey.slice(-6)}` } });
        },
      },
    } as unknown as IntakeClient;
    const findCase = new FindCase(decisions, intake, bus, loads);
    route = new RouteComplaint(decisions, settings, new AssignComplaint(directory, loads), findCase, keyed, bus);
    closeAndErase = new CloseAndErase(decisions, keyed);
    mergeByHand = new MergeByHand(decisions, keyed, bus);
    override = new OverrideDecision(decisions, settings, new AssignComplaint(directory, loads), directory, keyed, bus);
  });
  afterAll(async () => {
    await bus?.close();
    await connection?.dropDatabase();
    await connection?.close();
  });

  const group = () => `g-${randomUUID().slice(0, 8)}`;
  const staff = { kind: 'staff', id: 's-1', name: 'Staff' };

  function complaint(fields: Partial<v1.Complaint> & { complainantKey: string }): v1.Complaint {
    sequence++;
    return v1.Complaint.fromPartial({
      id: randomUUID(),
      number: `N-${sequence}`,
      propertyId: 'mall',
      channel: 'phone',
      description: CHARGES,
      location: '',
      complainant: { type: 'consumer' },
      receivedAt: new Date().toISOString(),
      ...fields,
    });
  }

  const history = async (groupId: string, key: string) =>
    (await connection.collection('routing_complainants').findOne({ _id: `${groupId}:${key}` as never })) as {
      entries: { id: string }[];
    } | null;
  const openCases = async (groupId: string) =>
    (await connection
      .collection('routing_open_cases')
      .findOne({ _id: `${groupId}:mall:facilities_equipment:3号楼地下车库` as never })) as {
      entries: { id: string; complainantKey: string }[];
    } | null;
  const load = async (groupId: string, staffId: string) =>
    (
      (await connection.collection('routing_handler_loads').findOne({ _id: `${groupId}:${staffId}` as never })) as {
        open: number;
      } | null
    )?.open ?? 0;

  it('counts an earlier complaint of the complainant as a repeat, closed or not', async () => {
    const g = group();
    const first = await route.execute(g, complaint({ complainantKey: 'k1', resolvedAtFirstContact: true }));
    expect(first.firedRules).not.toContain('repeat');
    const again = await route.execute(g, complaint({ complainantKey: 'k1' }));
    expect(again.firedRules).toContain('repeat');
    expect(again.mergedInto).toBe('');
    expect((await history(g, 'k1'))?.entries.map((entry) => entry.id)).toEqual([first._id, again._id]);
    // Someone else, or the same person about another matter, is no repeat.
    expect((await route.execute(g, complaint({ complainantKey: 'k2' }))).firedRules).not.toContain('repeat');
    const otherMatter = await route.execute(g, complaint({ complainantKey: 'k1', description: '洗手间没有纸巾' }));
    expect(otherMatter.firedRules).not.toContain('repeat');
  });

  it('joins the open case as a duplicate; not once it is withdrawn or merged, again once unmerged', async () => {
    const g = group();
    const open = await route.execute(g, complaint({ complainantKey: 'k' }));
    const duplicate = await route.execute(g, complaint({ complainantKey: 'k' }));
    expect(duplicate).toMatchObject({ mergedInto: open._id, mergeReason: 'duplicate', state: 'closed' });

    const elsewhere = await route.execute(g, complaint({ complainantKey: 'other' }));
    await mergeByHand.merge(g, open._id, elsewhere._id, staff, 'same matter');
    const afterMerge = await route.execute(g, complaint({ complainantKey: 'k' }));
    expect(afterMerge.mergedInto).toBe('');
    expect(afterMerge.firedRules).toContain('repeat');

    await closeAndErase.close(g, afterMerge._id);
    const afterClose = await route.execute(g, complaint({ complainantKey: 'k' }));
    expect(afterClose.mergedInto).toBe('');

    await closeAndErase.close(g, afterClose._id);
    await mergeByHand.unmerge(g, open._id, staff, 'another matter after all');
    const afterUnmerge = await route.execute(g, complaint({ complainantKey: 'k' }));
    expect(afterUnmerge).toMatchObject({ mergedInto: open._id, mergeReason: 'duplicate' });
  });

  it('forgets an erased complainant: no repeat, no duplicate, no history left under the key', async () => {
    const g = group();
    const first = await route.execute(g, complaint({ complainantKey: 'erase-me' }));
    expect(await history(g, 'erase-me')).not.toBeNull();
    expect(await closeAndErase.eraseComplainant(g, first._id)).toBe(1);
    expect(await closeAndErase.eraseComplainant(g, first._id)).toBe(0);
    expect(await history(g, 'erase-me')).toBeNull();
    const again = await route.execute(g, complaint({ complainantKey: 'erase-me' }));
    expect(again.mergedInto).toBe('');
    expect(again.firedRules).not.toContain('repeat');
    expect((await history(g, 'erase-me'))?.entries.map((entry) => entry.id)).toEqual([again._id]);
  });

  it('forms a collective complaint from the open cases of the matter, and later members join the parent', async () => {
    const g = group();
    const members = [];
    for (let n = 1; n <= 4; n++)
      members.push(await route.execute(g, complaint({ complainantKey: `owner-${n}`, ...LEAK })));
    expect(members.every((member) => member.mergedInto === '')).toBe(true);
    // The same person twice is one complainant.
    const repeated = await route.execute(g, complaint({ complainantKey: 'owner-1', ...LEAK }));
    expect(repeated.mergeReason).toBe('duplicate');
    expect((await openCases(g))?.entries.map((entry) => entry.id)).toEqual(members.map((member) => member._id));

    const fifth = await route.execute(g, complaint({ complainantKey: 'owner-5', ...LEAK }));
    expect(fifth.mergeReason).toBe('collective');
    const parentId = fifth.mergedInto;
    for (const member of members) {
      expect(await decisions.find(g, member._id)).toMatchObject({ mergedInto: parentId, state: 'closed' });
    }
    expect(await openCases(g)).toBeNull();

    const parentRequest = registeredParents.find((request) => `parent-${request.idempotencyKey}` === parentId);
    const parent = await route.execute(
      g,
      complaint({
        id: parentId,
        complainantKey: 'collective-key',
        ...LEAK,
        categoryHint: parentRequest?.categoryHint,
        registeredBy: COLLECTIVE_ACTOR,
        receivedAt: parentRequest?.receivedAt,
      }),
    );
    expect(parent.isCollectiveParent).toBe(true);
    expect((await openCases(g))?.entries.map((entry) => entry.id)).toEqual([parentId]);
    const sixth = await route.execute(g, complaint({ complainantKey: 'owner-6', ...LEAK }));
    expect(sixth).toMatchObject({ mergedInto: parentId, mergeReason: 'collective' });

    // Erased: the open case no longer names the complainant either.
    await closeAndErase.eraseComplainant(g, parentId);
    expect((await openCases(g))?.entries).toEqual([
      expect.objectContaining({ id: parentId, complainantKey: `erased:${parentId}` }),
    ]);
    await closeAndErase.close(g, parentId);
    expect(await openCases(g)).toBeNull();
  });

  it('counts the repeat when two complaints of one complainant are routed at the same moment', async () => {
    const g = group();
    const both = await Promise.all([
      route.execute(g, complaint({ complainantKey: 'twice', resolvedAtFirstContact: true })),
      route.execute(g, complaint({ complainantKey: 'twice', resolvedAtFirstContact: true })),
    ]);
    expect(both.filter((decision) => decision.firedRules.includes('repeat'))).toHaveLength(1);
    expect((await history(g, 'twice'))?.entries).toHaveLength(2);

    const open = await Promise.all([
      route.execute(g, complaint({ complainantKey: 'twice-open' })),
      route.execute(g, complaint({ complainantKey: 'twice-open' })),
    ]);
    expect(open.filter((decision) => decision.mergeReason === 'duplicate')).toHaveLength(1);
  });

  it('gives the least-loaded handler, counts each open complaint once and stops counting it when closed', async () => {
    const g = group();
    const first = await route.execute(g, complaint({ complainantKey: 'l1' }));
    const second = await route.execute(g, complaint({ complainantKey: 'l2' }));
    expect(new Set([first.handler?.id, second.handler?.id])).toEqual(new Set(['fin-a', 'fin-b']));
    // Delivered again: nothing counted twice.
    const registered = complaint({ complainantKey: 'l3' });
    await Promise.all([route.execute(g, registered), route.execute(g, registered)]);
    // A redelivery reads the stored decision first; a first delivery of the same event (published
    // again after the duplicate window) finds it when it inserts.
    expect((await route.execute(g, registered, { redelivered: true }))._id).toBe(registered.id);
    await route.execute(g, registered);
    expect((await load(g, 'fin-a')) + (await load(g, 'fin-b'))).toBe(3);
    await closeAndErase.close(g, first._id);
    await closeAndErase.close(g, first._id);
    expect((await load(g, 'fin-a')) + (await load(g, 'fin-b'))).toBe(2);
  });

  it('follows a reclassified complaint: another category is another matter', async () => {
    const g = group();
    const first = await route.execute(g, complaint({ complainantKey: 'moved' }));
    expect(first.category).toBe('price_charges');
    await override.reclassify(g, first._id, staff, { category: 'service_quality', reason: 'about the staff' });
    const again = await route.execute(g, complaint({ complainantKey: 'moved' }));
    expect(again.mergedInto).toBe('');
    expect(again.firedRules).not.toContain('repeat');
    // Reassigned by hand: the load moves with it.
    const before = await load(g, 'fin-a');
    await override.reassign(g, again._id, staff, again.handler?.id === 'fin-a' ? 'fin-b' : 'fin-a', 'holiday');
    expect(await load(g, 'fin-a')).toBe(again.handler?.id === 'fin-a' ? before - 1 : before + 1);
  });

  it('completes a withdrawal cut short between the decision and the load when the event comes again', async () => {
    const g = group();
    const routed = await route.execute(g, complaint({ complainantKey: 'cut-short' }));
    const handler = routed.handler?.id ?? '';
    expect(await load(g, handler)).toBe(1);
    // As if the process died right after writing the decision.
    await decisions.change(g, routed._id, (current) => ({
      set: { state: 'closed', charge: nextCharge(current.charge, { state: 'closed', handler: current.handler }) },
    }));
    expect(await load(g, handler)).toBe(1);
    await closeAndErase.close(g, routed._id);
    await closeAndErase.close(g, routed._id);
    expect(await load(g, handler)).toBe(0);
  });

  it('keeps a bounded memory of changes per counter, and every change counted', async () => {
    const g = group();
    for (let n = 1; n <= LOAD_OPS_KEPT + 10; n++) {
      await loads.apply(g, `c-${n}`, { seq: 1, from: '', to: 'busy', at: new Date() }, 'fresh');
    }
    // The latest change delivered again is recognised.
    await loads.apply(g, `c-${LOAD_OPS_KEPT + 10}`, { seq: 1, from: '', to: 'busy', at: new Date() }, 'replay');
    const stored = (await connection.collection('routing_handler_loads').findOne({ _id: `${g}:busy` as never })) as {
      open: number;
      ops: string[];
    } | null;
    expect(stored?.open).toBe(LOAD_OPS_KEPT + 10);
    expect(stored?.ops.length).toBeLessThanOrEqual(LOAD_OPS_KEPT);
    expect(stored?.ops.at(-1)).toBe(`c-${LOAD_OPS_KEPT + 10}:1`);
  });

  it("reads a group's routing settings once for many complaints, and uses an admin's change at once", async () => {
    const g = group();
    commands.length = 0;
    for (let n = 0; n < 3; n++) await route.execute(g, complaint({ complainantKey: `s-${n}` }));
    const settingsReads = () =>
      commands.filter((event) => event.commandName === 'find' && event.command.find === 'routing_settings').length;
    expect(settingsReads()).toBe(1);
    const current = await settings.forGroup(g);
    await settings.put(
      g,
      {
        rules: current.rules,
        departments: {
          ...current.departments,
          default: { ...current.departments.default, price_charges: 'customer_service' },
        },
      },
      'admin',
    );
    const after = await route.execute(g, complaint({ complainantKey: 's-after' }));
    expect(after.department).toBe('customer_service');
    expect(settingsReads()).toBe(1);
  });

  it('addresses every document by _id alone when routing a complaint', async () => {
    const g = group();
    await route.execute(g, complaint({ complainantKey: 'neighbour', ...LEAK }));
    await route.execute(g, complaint({ complainantKey: 'earlier', resolvedAtFirstContact: true, ...LEAK }));
    commands.length = 0;
    // A repeat (its earlier complaint closed at first contact) about a matter with an open case.
    const routed = await route.execute(g, complaint({ complainantKey: 'earlier', ...LEAK }));
    expect(routed.firedRules).toContain('repeat');
    const filters = commands.flatMap((event) => {
      const command = event.command as Record<string, unknown> & {
        filter?: object;
        updates?: { q: object }[];
        deletes?: { q: object }[];
      };
      if (event.commandName === 'find') return [command.filter ?? {}];
      if (event.commandName === 'update') return (command.updates ?? []).map((update) => update.q);
      if (event.commandName === 'delete') return (command.deletes ?? []).map((deletion) => deletion.q);
      if (event.commandName === 'insert') return [];
      return [{ command: event.commandName }];
    });
    for (const filter of filters) expect(Object.keys(filter)).toEqual(['_id']);
    // Reads (a first delivery: its decision is not looked for): the complainant's history, the
    // earlier decision (closed), the matter's open cases, the one engineer's load. Writes: the
    // decision, the load, the open cases, the history.
    expect(commands.map((event) => `${event.commandName} ${String(event.command[event.commandName])}`)).toEqual([
      'find routing_complainants',
      'find decisions',
      'find routing_open_cases',
      'find routing_handler_loads',
      'insert decisions',
      'update routing_handler_loads',
      'update routing_open_cases',
      'update routing_complainants',
    ]);
  });
});
