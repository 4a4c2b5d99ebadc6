import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent } from '@complaints/messaging';
import { preloadBatches } from '../../../bench/src/preload/generate';
import { preloadReporting } from '../../../bench/src/preload/reporting';
import { ComplaintFacts, ComplaintFactsSchema } from '../src/complaint-facts/complaint-facts.schema';
import { ComplaintFactsRepository } from '../src/complaint-facts/complaint-facts.repository';
import { deriveFacts } from '../src/complaint-facts/derive-facts';
import { ProjectEvent } from '../src/complaint-facts/project-event';
import { dayKey, periodKey } from '../src/periods/periods';
import { PeriodRows, PeriodRowsRepository, PeriodRowsSchema } from '../src/rollups/period-rows.repository';
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

// The bench fills reporting's store with bench/src/preload/reporting.ts: what it writes must be
// what the service itself would have, so that the service reads and goes on from it.
describe('bench preload of reporting', () => {
  const dbName = uniqueDatabase('bench_reporting');
  let connection: mongoose.Connection;
  let facts: ComplaintFactsRepository;
  let refresh: RefreshRollups;
  const now = new Date();
  // Ids are random: one run of the generator, written in the bench's batches.
  const complaints = [...preloadBatches(400, 150, now)].flat();

  beforeAll(async () => {
    const batches = [complaints.slice(0, 150), complaints.slice(150, 300), complaints.slice(300)];
    for (const batch of batches) await preloadReporting({ mongoUrl: testServers().mongoUrl, dbName }, batch);
    connection = await mongoose.createConnection(testServers().mongoUrl, { dbName }).asPromise();
    const model = <T>(name: string, schema: mongoose.Schema<T>) => connection.model<T>(name, schema);
    facts = new ComplaintFactsRepository(model(ComplaintFacts.name, ComplaintFactsSchema));
    refresh = new RefreshRollups(
      facts,
      new RollupsRepository(model(RollupPeriod.name, RollupPeriodSchema), model(Rollup.name, RollupSchema)),
      new PeriodRowsRepository(model(PeriodRows.name, PeriodRowsSchema)),
      new RollupChangesRepository(model(RollupChanges.name, RollupChangesSchema)),
      new ReportSettingsRepository(model(StoredReportSettings.name, StoredReportSettingsSchema)),
    );
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('writes each row with the facts its events give', async () => {
    const stored = connection.collection<ComplaintFacts>('complaint_facts');
    for (const complaint of [
      complaints[0],
      complaints[1],
      complaints.at(-1)!,
      complaints.at(-2)!,
      complaints.at(-3)!,
    ]) {
      const document = await stored.findOne({ _id: complaint.id });
      expect(document?.version).toBe(complaint.eventIds.length);
      expect(document?.eventIds).toEqual(complaint.eventIds);
      const events = document!.events;
      expect(await facts.find(complaint.groupId, complaint.id)).toEqual(
        deriveFacts(complaint.groupId, complaint.id, events),
      );
    }
  });

  it('files each row in the document of its local day, as the refresher does', async () => {
    const rows = connection.collection<{ _id: string; rows: Record<string, { version: number }> }>('rollup_rows');
    for (const complaint of [complaints[0], complaints.at(-1)!]) {
      const day = dayKey(complaint.receivedAt, 'Asia/Shanghai');
      const document = await rows.findOne({ _id: `${complaint.groupId}|${day}` });
      expect(document).toMatchObject({ groupId: complaint.groupId, day, pages: 1 });
      expect(document!.rows[complaint.id].version).toBe(complaint.eventIds.length);
    }
    expect(await rows.countDocuments({ half: { $exists: true } })).toBe(0);
    expect(await new PeriodRowsRepository(connection.model<PeriodRows>(PeriodRows.name)).filedByDay()).toBe(true);
  });

  it('gives the half-year figures from the rollup rows, and goes on from a preloaded row', async () => {
    const { groupId } = complaints[0];
    const half = periodKey('half', now, 'Asia/Shanghai');
    const inHalf = complaints.filter((complaint) => periodKey('half', complaint.receivedAt, 'Asia/Shanghai') === half);
    const before = await refresh.report(groupId, 'half', half, 'group');
    expect(before.figures.received).toBe(inHalf.length);
    expect(before.figures.closed).toBe(inHalf.filter((complaint) => complaint.status === 'closed').length);

    // A new event of the newest (open) complaint: read once, then written at the next version.
    const open = complaints.at(-1)!;
    expect(open.closedAt).toBeNull();
    const withdrawn = createEvent(
      'withdrawn',
      { groupId, complaintId: open.id, occurredAt: new Date(), idempotencyKey: `${open.id}:withdrawn` },
      { actor: { kind: 'partner', id: 'k1', name: 'hotline' }, reason: '' },
    );
    const projection = new ProjectEvent(facts, refresh);
    expect(await projection.project(withdrawn)).toBe(true);
    const after = await refresh.report(groupId, 'half', half, 'group');
    expect(after.figures.withdrawn).toBe(before.figures.withdrawn! + 1);
    expect(after.figures.received).toBe(inHalf.length);
  });
});
