import mongoose from 'mongoose';
import type { CommandStartedEvent, Document } from 'mongodb';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { v1 } from '@complaints/contracts';
import { createEvent, workOrderKey } from '@complaints/messaging';
import { ComplaintFacts, ComplaintFactsSchema } from '../src/complaint-facts/complaint-facts.schema';
import { ComplaintFactsRepository } from '../src/complaint-facts/complaint-facts.repository';
import { deriveFacts } from '../src/complaint-facts/derive-facts';
import { factEventOf } from '../src/complaint-facts/fact-event';
import { ProjectEvent } from '../src/complaint-facts/project-event';
import {
  DayRows,
  LAYOUT_MARKER,
  PAGE_ROWS,
  PeriodRows,
  PeriodRowsRepository,
  PeriodRowsSchema,
} from '../src/rollups/period-rows.repository';
import { RefreshRollups } from '../src/rollups/refresh-rollups';
import { RollupChanges, RollupChangesRepository, RollupChangesSchema } from '../src/rollups/rollup-changes.repository';
import {
  Rollup,
  RollupPeriod,
  RollupPeriodSchema,
  RollupSchema,
  RollupsRepository,
} from '../src/rollups/rollups.repository';
import {
  ReportSettingsRepository,
  StoredReportSettings,
  StoredReportSettingsSchema,
} from '../src/settings/report-settings.repository';
import { EXPECTED_W48, GROUP, knownComplaints } from './known-events';

// Rollups kept in step with the rows on the real MongoDB-compatible server, addressed by `_id`
// alone: every read and write of projecting an event and of refreshing the rollups is checked
// for its filter (FerretDB scans a collection for any other filter).

interface Command {
  name: string;
  collection: string;
  filters: Document[];
}

function commandOf(event: CommandStartedEvent): Command | null {
  const { command } = event;
  const collection = String(command[event.commandName] ?? '');
  switch (event.commandName) {
    case 'find':
      return { name: 'find', collection, filters: [command.filter as Document] };
    case 'update':
      return { name: 'update', collection, filters: (command.updates as { q: Document }[]).map((one) => one.q) };
    case 'delete':
      return { name: 'delete', collection, filters: (command.deletes as { q: Document }[]).map((one) => one.q) };
    case 'findAndModify':
      return { name: 'findAndModify', collection, filters: [command.query as Document] };
    case 'insert':
    case 'aggregate':
    case 'count':
      return { name: event.commandName, collection, filters: [] };
    default:
      return null;
  }
}

/** True when every filter is `{_id: <string>}` and nothing else. */
function byIdAlone(commands: readonly Command[]): boolean {
  return commands.every(
    (command) =>
      ['find', 'update', 'delete', 'findAndModify', 'insert'].includes(command.name) &&
      command.filters.every((filter) => Object.keys(filter).join() === '_id' && typeof filter._id === 'string'),
  );
}

describe('rollups from changed rows, by _id', () => {
  let connection: mongoose.Connection;
  let commands: Command[] = [];
  let facts: ComplaintFactsRepository;
  let refresh: RefreshRollups;
  let projection: ProjectEvent;
  let periods: mongoose.Model<RollupPeriod>;
  let changes: mongoose.Model<RollupChanges>;
  let pages: mongoose.Model<PeriodRows>;
  let replica: RefreshRollups;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('reporting_rollups'), monitorCommands: true })
      .asPromise();
    const model = <T>(name: string, schema: mongoose.Schema<T>) => connection.model<T>(name, schema);
    const factsModel = model(ComplaintFacts.name, ComplaintFactsSchema);
    periods = model(RollupPeriod.name, RollupPeriodSchema);
    changes = model(RollupChanges.name, RollupChangesSchema);
    const rollups = model(Rollup.name, RollupSchema);
    pages = model(PeriodRows.name, PeriodRowsSchema);
    const settings = model(StoredReportSettings.name, StoredReportSettingsSchema);
    for (const one of [factsModel, periods, changes, rollups, pages, settings]) await one.init();
    facts = new ComplaintFactsRepository(factsModel);
    refresh = new RefreshRollups(
      facts,
      new RollupsRepository(periods, rollups),
      new PeriodRowsRepository(pages),
      new RollupChangesRepository(changes),
      new ReportSettingsRepository(settings),
    );
    projection = new ProjectEvent(facts, refresh);
    // Another replica: the same store, nothing remembered.
    replica = new RefreshRollups(
      new ComplaintFactsRepository(factsModel),
      new RollupsRepository(periods, rollups),
      new PeriodRowsRepository(pages),
      new RollupChangesRepository(changes),
      new ReportSettingsRepository(settings),
    );
    connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
      const command = commandOf(event);
      if (command) commands.push(command);
    });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** Each complaint's events in order, several complaints at once (as the consumer will run them). */
  async function projectConcurrently(complaints: { events: v1.EventEnvelope[] }[]): Promise<void> {
    await Promise.all(
      complaints.map(async (complaint) => {
        for (const event of complaint.events) await projection.project(event);
      }),
    );
  }

  it('projects several complaints at once by _id alone, noting their changes in one document per group', async () => {
    const { c1, c2, c3, c4, c5, c6, c7, c8, o1 } = knownComplaints();
    const group = [c1, c2, c3, c4, c5, c6, c7, c8];
    const events = [...group, o1].reduce((sum, complaint) => sum + complaint.events.length, 0);
    commands = [];
    await projectConcurrently([...group, o1]);
    expect(byIdAlone(commands)).toBe(true);
    // One write per event: each complaint's first event is its registration, which reads nothing.
    expect(commands.filter((command) => command.collection === 'complaint_facts')).toHaveLength(events);
    // Changes of concurrent complaints share writes of the group's change document.
    const changeWrites = commands.filter((command) => command.collection === 'rollup_changes');
    expect(changeWrites.length).toBeGreaterThan(0);
    const pending = await changes.findById(GROUP).lean();
    expect(changeWrites.length).toBeLessThan(Object.keys(pending!.changes).length);
    expect(new Set(Object.values(pending!.changes).map((change) => change.id))).toEqual(
      new Set(group.map((complaint) => complaint.id)),
    );
  });

  /** The `_id`s a command of the collection addressed, in order. */
  function ids(collection: string, name: string): string[] {
    return commands
      .filter((command) => command.collection === collection && command.name === name)
      .flatMap((command) => command.filters.map((filter) => String(filter._id)));
  }

  it('refreshes from the changes into the day row documents by _id, computing no figures', async () => {
    commands = [];
    expect(await refresh.refreshGroup(GROUP)).toBe(true);
    expect(byIdAlone(commands)).toBe(true);
    expect(commands.some((command) => command.collection === 'complaint_facts')).toBe(false);
    // The eight complaints were received on eight days (Asia/Shanghai): each day's document is
    // read once and written once, in one bulk write.
    const days = ['23', '24', '25', '26', '27', '28', '29', '30'].map((day) => `${GROUP}|2026-11-${day}`);
    expect(ids('rollup_rows', 'find').sort()).toEqual(days);
    expect(ids('rollup_rows', 'update').sort()).toEqual(days);
    expect(
      commands.filter((command) => command.collection === 'rollup_rows' && command.name === 'update'),
    ).toHaveLength(1);
    // Figures are built when read, not by a refresh.
    expect(commands.some((command) => command.collection === 'rollups')).toBe(false);
    expect(await connection.collection('rollups').countDocuments({ groupId: GROUP })).toBe(0);
    expect((await changes.findById(GROUP).lean())!.changes).toEqual({});
    expect(await pages.findById(`${GROUP}|2026-11-30`).lean()).toMatchObject({
      groupId: GROUP,
      day: '2026-11-30',
      pages: 1,
      rows: { 'rep-c8': { complaintId: 'rep-c8', groupId: GROUP } },
    });

    commands = [];
    const week = await refresh.report(GROUP, 'week', '2026-W48', 'group');
    expect(week.figures).toEqual(EXPECTED_W48);
    expect(byIdAlone(commands)).toBe(true);
    expect((await refresh.report(GROUP, 'week', '2026-W49', 'group')).figures.received).toBe(1);
    expect((await refresh.report(GROUP, 'month', '2026-11', 'group')).figures.received).toBe(8);
    expect((await refresh.report(GROUP, 'half', '2026-H2', 'property:sh-tower')).figures.received).toBe(2);
    // Read again, the stored figures answer: nothing built.
    commands = [];
    expect((await refresh.report(GROUP, 'week', '2026-W48', 'group')).figures).toEqual(EXPECTED_W48);
    expect(commands.map((command) => command.collection)).toEqual(['rollup_changes', 'rollup_periods', 'rollups']);
  });

  it('writes only the changed day and marks the periods it touches stale; a read builds them fresh', async () => {
    const built = async () =>
      new Map((await periods.find({ groupId: GROUP }).lean()).map((period) => [period._id, period.builtAt!.getTime()]));
    const before = await built();
    commands = [];
    expect(await refresh.refreshGroup(GROUP)).toBe(true);
    // Nothing pending: one read of the change document.
    expect(commands).toEqual([{ name: 'find', collection: 'rollup_changes', filters: [{ _id: GROUP }] }]);

    // C8 (week 49) is withdrawn: week 49, November and the half-year change, week 48 not.
    const withdrawn = createEvent(
      'withdrawn',
      { groupId: GROUP, complaintId: 'rep-c8', occurredAt: new Date('2026-12-01T02:00:00Z'), idempotencyKey: 'c8-w' },
      { actor: { kind: 'partner', id: 'k1', name: 'hotline' }, reason: '' },
    );
    expect(await projection.project(withdrawn)).toBe(true);
    commands = [];
    await refresh.refreshGroup(GROUP);
    expect(byIdAlone(commands)).toBe(true);
    // The day's rows are remembered from the last refresh: its one document written, not read again.
    expect(commands.filter((command) => command.collection === 'rollup_rows').map((command) => command.name)).toEqual([
      'update',
    ]);
    expect(ids('rollup_rows', 'update')).toEqual([`${GROUP}|2026-11-30`]);
    // No figures: the three periods are marked stale in one write.
    expect(commands.some((command) => command.collection === 'rollups')).toBe(false);
    expect(commands.filter((command) => command.collection === 'rollup_periods')).toHaveLength(1);
    expect(ids('rollup_periods', 'update').sort()).toEqual([
      `${GROUP}|half|2026-H2`,
      `${GROUP}|month|2026-11`,
      `${GROUP}|week|2026-W49`,
    ]);
    expect(await built()).toEqual(before);
    const stale = async () =>
      (await periods.find({ groupId: GROUP, stale: true }).lean()).map((period) => period._id).sort();
    expect(await stale()).toEqual([`${GROUP}|half|2026-H2`, `${GROUP}|month|2026-11`, `${GROUP}|week|2026-W49`]);

    // A read builds the period it reads, fresh, and only that one.
    expect((await refresh.report(GROUP, 'week', '2026-W49', 'group')).figures.withdrawn).toBe(1);
    const after = await built();
    const changed = [...after].filter(([id, at]) => before.get(id) !== at).map(([id]) => id);
    expect(changed).toEqual([`${GROUP}|week|2026-W49`]);
    expect(await stale()).toEqual([`${GROUP}|half|2026-H2`, `${GROUP}|month|2026-11`]);
    // C8 and the week-48 complaints withdrawn before.
    const withdrawnInNovember = EXPECTED_W48.withdrawn + 1;
    expect((await refresh.report(GROUP, 'month', '2026-11', 'group')).figures.withdrawn).toBe(withdrawnInNovember);
    expect((await refresh.report(GROUP, 'half', '2026-H2', 'group')).figures.withdrawn).toBe(withdrawnInNovember);
    expect((await refresh.report(GROUP, 'week', '2026-W48', 'group')).figures).toEqual(EXPECTED_W48);
    expect(await stale()).toEqual([]);
  });

  it('reads a stored report exactly as it was built, empty counts included', async () => {
    // Built on the first read and stored; the second read is the stored one.
    const built = await refresh.report(GROUP, 'week', '2027-W10', 'group');
    const stored = await replica.report(GROUP, 'week', '2027-W10', 'group');
    expect(built.figures.escalationsByLevel).toEqual({});
    expect(stored).toEqual(built);
  });

  it('refreshes changes another replica made, reading their rows by _id', async () => {
    // C8 (week 49) is reclassified.
    const reclassified = createEvent(
      'reclassified',
      { groupId: GROUP, complaintId: 'rep-c8', occurredAt: new Date('2026-12-02T02:00:00Z'), idempotencyKey: 'c8-r' },
      v1.ComplaintReclassified.fromPartial({
        category: 'safety_security',
        severity: 'general',
        department: 'security',
      }),
    );
    expect(await projection.project(reclassified)).toBe(true);
    commands = [];
    expect(await replica.refreshGroup(GROUP)).toBe(true);
    expect(byIdAlone(commands)).toBe(true);
    expect(commands.filter((command) => command.collection === 'complaint_facts')).toEqual([
      { name: 'find', collection: 'complaint_facts', filters: [{ _id: 'rep-c8' }] },
    ]);
    const week = await replica.report(GROUP, 'week', '2026-W49', 'group');
    expect(week.breakdowns.category.map((row) => row.key)).toEqual(['safety_security']);

    // This process's next refresh reads the day again: the replica held the group since.
    const moved = createEvent(
      'reclassified',
      { groupId: GROUP, complaintId: 'rep-c8', occurredAt: new Date('2026-12-03T02:00:00Z'), idempotencyKey: 'c8-r2' },
      v1.ComplaintReclassified.fromPartial({ category: 'safety_security', severity: 'major', department: 'security' }),
    );
    expect(await projection.project(moved)).toBe(true);
    commands = [];
    await refresh.refreshGroup(GROUP);
    expect(ids('rollup_rows', 'find')).toEqual([`${GROUP}|2026-11-30`]);
    const again = await refresh.report(GROUP, 'week', '2026-W49', 'group');
    expect(again.breakdowns.category.map((row) => row.key)).toEqual(['safety_security']);
    expect(again.majorComplaints.map((complaint) => complaint.complaintId)).toEqual(['rep-c8']);
    // The replica reads what this process built.
    expect((await replica.report(GROUP, 'week', '2026-W49', 'group')).majorComplaints).toEqual(again.majorComplaints);
  });

  it('answers concurrent readers of a stale period with one build', async () => {
    await periods.updateOne({ _id: `${GROUP}|month|2026-11` }, { $set: { stale: true } });
    commands = [];
    const reports = await Promise.all([
      refresh.report(GROUP, 'month', '2026-11', 'group'),
      refresh.report(GROUP, 'month', '2026-11', 'group'),
      refresh.report(GROUP, 'month', '2026-11', 'property:sh-tower'),
    ]);
    expect(reports.map((report) => report.figures.received)).toEqual([8, 8, 2]);
    expect(commands.filter((command) => command.collection === 'rollups' && command.name === 'update')).toHaveLength(1);
  });

  it('takes a note and a duplicate as no change of the rollups', async () => {
    const { c1 } = knownComplaints();
    commands = [];
    // A duplicate remembered by the process costs nothing.
    expect(await projection.project(c1.events[0])).toBe(false);
    expect(commands).toEqual([]);
    expect((await changes.findById(GROUP).lean())!.changes).toEqual({});
  });

  it('builds a period never built from its rows when it is read (rows loaded in bulk, rollups lost)', async () => {
    await connection.collection('rollups').deleteMany({});
    await periods.deleteMany({});
    commands = [];
    expect((await refresh.report(GROUP, 'week', '2026-W48', 'group')).figures).toEqual(EXPECTED_W48);
    expect(byIdAlone(commands)).toBe(true);
    expect((await refresh.report(GROUP, 'week', '2026-W48', 'property:sh-tower')).figures.received).toBe(1);
    expect((await refresh.report(GROUP, 'week', '2026-W47', 'group')).figures.received).toBe(0);
  });

  it('builds again a period stored before a figure existed, instead of answering without it', async () => {
    await refresh.report(GROUP, 'week', '2026-W48', 'group');
    // As an earlier version stored it: no record of its figures, and the report without `assisted`.
    await periods.updateOne({ _id: `${GROUP}|week|2026-W48` }, { $unset: { figures: 1 } });
    await connection
      .collection('rollups')
      .updateOne({ _id: `${GROUP}|week|2026-W48|group` } as object, { $unset: { 'report.figures.assisted': 1 } });
    expect((await refresh.report(GROUP, 'week', '2026-W48', 'group')).figures).toEqual(EXPECTED_W48);
    expect((await periods.findById(`${GROUP}|week|2026-W48`).lean())?.figures).toBeTruthy();
  });

  it('files more than a page of rows on one day in numbered pages, and reads them all', async () => {
    const day = new DayRows('paging-group', '2026-11-30');
    const template = (await pages.findById(`${GROUP}|2026-11-30`).lean())!.rows['rep-c8'];
    for (let index = 0; index <= PAGE_ROWS; index += 1) {
      day.put({ ...template, groupId: 'paging-group', complaintId: `paged-${index}`, version: 1 });
    }
    const repository = new PeriodRowsRepository(pages);
    await repository.save([day]);
    expect((await pages.findById('paging-group|2026-11-30', { pages: 1 }).lean())!.pages).toBe(2);
    const second = await pages.findById('paging-group|2026-11-30|1').lean();
    expect(Object.keys(second!.rows)).toEqual([`paged-${PAGE_ROWS}`]);
    const [loaded] = await repository.load('paging-group', ['2026-11-30']);
    expect(loaded.rows.size).toBe(PAGE_ROWS + 1);
    // A newer version goes to the page holding the row; an older one changes nothing.
    loaded.put({ ...template, groupId: 'paging-group', complaintId: `paged-${PAGE_ROWS}`, version: 3 });
    loaded.put({ ...template, groupId: 'paging-group', complaintId: 'paged-0', version: 0 });
    expect(loaded.writes().map((write) => ('updateOne' in write ? String(write.updateOne.filter._id) : null))).toEqual([
      'paging-group|2026-11-30|1',
    ]);
    await repository.deleteGroup('paging-group');
  });

  it('files rows kept by half-year (an older version) by day once, at start', async () => {
    await pages.collection.deleteOne({ _id: LAYOUT_MARKER as never });
    await pages.deleteMany({ groupId: GROUP });
    await periods.deleteMany({ groupId: GROUP });
    await pages.collection.insertOne({ _id: `${GROUP}|2026-H2|7` as never, groupId: GROUP, half: '2026-H2', rows: {} });
    await refresh.fileByDay();
    expect(await pages.collection.countDocuments({ half: { $exists: true } })).toBe(0);
    expect(await pages.collection.findOne({ _id: LAYOUT_MARKER as never })).toMatchObject({ layout: 'day' });
    expect(await pages.exists({ _id: `${GROUP}|2026-11-23` })).toBeTruthy();
    expect((await refresh.report(GROUP, 'week', '2026-W48', 'group')).figures).toEqual(EXPECTED_W48);
    // Later starts read the marker only.
    commands = [];
    await replica.fileByDay();
    expect(commands).toEqual([{ name: 'find', collection: 'rollup_rows', filters: [{ _id: LAYOUT_MARKER }] }]);
  });

  it('moves a complaint whose received time moves to another day out of its old day', async () => {
    const group = 'moving-group';
    const header = (key: string, occurredAt: string) => ({
      groupId: group,
      complaintId: 'rep-moving',
      occurredAt: new Date(occurredAt),
      idempotencyKey: key,
    });
    // The routing comes first and says the 25th; the registration, late, says the 27th.
    const routed = createEvent(
      'routed',
      header('moving-routed', '2026-11-27T02:01:00Z'),
      v1.ComplaintRouted.fromPartial({
        number: 'MOV-1',
        propertyId: 'sh-tower',
        regionId: 'east',
        channel: 'phone',
        receivedAt: '2026-11-25T02:00:00.000Z',
        category: 'repair',
        severity: 'general',
        department: 'engineering',
      }),
    );
    const registered = createEvent('registered', header('moving-registered', '2026-11-27T02:00:00Z'), {
      complaint: v1.Complaint.fromPartial({
        id: 'rep-moving',
        number: 'MOV-1',
        groupId: group,
        propertyId: 'sh-tower',
        regionId: 'east',
        channel: 'phone',
        receivedAt: '2026-11-27T02:00:00.000Z',
        location: 'B1',
        description: '投诉内容',
        status: 'registered',
        language: 'zh-CN',
      }),
    });
    expect(await projection.project(routed)).toBe(true);
    await refresh.refreshGroup(group);
    expect(Object.keys((await pages.findById(`${group}|2026-11-25`).lean())!.rows)).toEqual(['rep-moving']);
    expect((await refresh.report(group, 'week', '2026-W48', 'group')).figures.received).toBe(1);

    await projection.project(registered);
    commands = [];
    await refresh.refreshGroup(group);
    // Both days in one write: out of the 25th, into the 27th.
    expect(ids('rollup_rows', 'update').sort()).toEqual([`${group}|2026-11-25`, `${group}|2026-11-27`]);
    expect((await pages.findById(`${group}|2026-11-25`).lean())!.rows).toEqual({});
    expect(Object.keys((await pages.findById(`${group}|2026-11-27`).lean())!.rows)).toEqual(['rep-moving']);
    const week = await refresh.report(group, 'week', '2026-W48', 'group');
    expect(week.figures.received).toBe(1);
    expect((await refresh.report(group, 'month', '2026-11', 'group')).figures.received).toBe(1);
  });

  it('derives the facts again when a registration finds a row: out of order, delivered again, another group', async () => {
    const model = connection.model<ComplaintFacts>(ComplaintFacts.name);
    const { c2, c4 } = knownComplaints();
    const backwards = c2.events.map(factEventOf).reverse();
    const cold = new ComplaintFactsRepository(model);
    for (const event of backwards) await cold.record(GROUP, 'rep-backwards', event);
    expect(await cold.find(GROUP, 'rep-backwards')).toEqual(deriveFacts(GROUP, 'rep-backwards', backwards));

    // After a restart the registration comes again: written unread, then the facts derived again
    // (two writes).
    const restarted = new ComplaintFactsRepository(model);
    const events = c4.events.map(factEventOf);
    const [registration] = events;
    const again = await restarted.record(GROUP, 'rep-c4', registration);
    expect(again).toEqual({
      applied: false,
      stored: { ...deriveFacts(GROUP, 'rep-c4', events), version: events.length + 2 },
    });
    expect(await restarted.find(GROUP, 'rep-c4')).toEqual(deriveFacts(GROUP, 'rep-c4', events));

    // Another group's registration with the id of one of ours leaves our row as it was.
    const other = { ...registration, id: 'another-event' };
    expect(await new ComplaintFactsRepository(model).record('other-group', 'rep-c4', other)).toEqual({
      applied: false,
    });
    expect(await restarted.find(GROUP, 'rep-c4')).toEqual(deriveFacts(GROUP, 'rep-c4', events));
    expect(await restarted.eventCount(GROUP, 'rep-c4')).toBe(events.length);
  });

  it('keeps one complaint right when two processes write its row in turn', async () => {
    const { c2 } = knownComplaints();
    const model = connection.model<ComplaintFacts>(ComplaintFacts.name);
    const replicas = [new ComplaintFactsRepository(model), new ComplaintFactsRepository(model)];
    const events = c2.events.map(factEventOf);
    for (const [index, event] of events.entries()) {
      await replicas[index % 2].record(GROUP, 'rep-two-writers', event);
    }
    expect(await replicas[0].find(GROUP, 'rep-two-writers')).toEqual(deriveFacts(GROUP, 'rep-two-writers', events));
    expect(await replicas[1].eventCount(GROUP, 'rep-two-writers')).toBe(events.length);
  });

  it('files work orders by the day they were raised, by _id alone, and counts them in the work order figures only', async () => {
    const group = 'wo-group';
    let key = 0;
    const step = (id: string, propertyId: string, at: string, payload: Partial<v1.WorkOrderStepped>) =>
      createEvent(
        'work_order',
        {
          groupId: group,
          complaintId: workOrderKey(id),
          occurredAt: new Date(at),
          idempotencyKey: `wo-rollup-${key++}`,
        },
        v1.WorkOrderStepped.fromPartial({
          workOrderId: id,
          number: `WO-${id}`,
          propertyId,
          regionId: 'east',
          raisedAt: '2026-12-08T02:00:00Z',
          ...payload,
        }),
      );
    const events = [
      step('w1', 'sh-mall', '2026-12-08T02:00:00Z', { step: 'raised' }),
      step('w1', 'sh-mall', '2026-12-08T05:00:00Z', { step: 'arrived', late: true }),
      step('w1', 'sh-mall', '2026-12-09T02:00:00Z', { step: 'completed' }),
      step('w1', 'sh-mall', '2026-12-09T06:00:00Z', { step: 'confirmed', rating: 4 }),
      step('w2', 'sh-tower', '2026-12-08T02:00:00Z', { step: 'raised', repeatOfId: 'w0', complaintId: 'c-9' }),
    ];
    commands = [];
    for (const event of events) await projection.project(event);
    // Delivered again: nothing counts twice.
    for (const event of events) await projection.project(event);
    expect(await refresh.refreshGroup(group)).toBe(true);
    const week = await refresh.report(group, 'week', '2026-W50', 'group');
    expect(byIdAlone(commands)).toBe(true);
    expect(week.figures).toMatchObject({
      received: 0,
      workOrders: 2,
      workOrdersArrivedLate: 1,
      workOrdersCompletedLate: 0,
      workOrdersConfirmed: 1,
      workOrderRatingMean: 4,
      workOrderRepeatRepairs: 1,
    });
    expect((await refresh.report(group, 'week', '2026-W50', 'property:sh-tower')).figures).toMatchObject({
      workOrders: 1,
      workOrdersConfirmed: 0,
    });
    // Filed on the day it was raised (Asia/Shanghai), beside that day's complaints.
    expect(await pages.findById(`${group}|2026-12-08`).lean()).toMatchObject({
      rows: { [`work-order:w1`]: { workOrder: { confirmed: true, rating: 4 } } },
    });
  });
});
