import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Client, Connection } from '@temporalio/client';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { ReportingConfig } from '../src/config';
import { EnsureSchedules } from '../src/schedules/ensure-schedules';
import {
  ReportSettingsRepository,
  StoredReportSettings,
  StoredReportSettingsSchema,
} from '../src/settings/report-settings.repository';

// The consumer asks for a group's report schedules with every event: Temporal (the real dev
// server) must hear of a group once per process, and again only after a failure.
describe('report schedules ensured once per group', () => {
  let connection: mongoose.Connection;
  let temporal: Connection;
  let client: Client;
  let settings: ReportSettingsRepository;
  const taskQueue = `reports-${randomUUID().slice(0, 8)}`;

  const schedules = (retryMs: number) =>
    new EnsureSchedules(
      client,
      new ReportingConfig({
        ...process.env,
        REPORTING_TASK_QUEUE: taskQueue,
        REPORTING_SCHEDULE_RETRY_MS: String(retryMs),
      }),
      settings,
    );

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('reporting_schedules') })
      .asPromise();
    settings = new ReportSettingsRepository(connection.model(StoredReportSettings.name, StoredReportSettingsSchema));
    temporal = await Connection.connect({ address: testServers().temporalAddress });
    client = new Client({ connection: temporal });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    for await (const schedule of client.schedule.list()) {
      if (schedule.scheduleId.startsWith(`${taskQueue}:`))
        await client.schedule.getHandle(schedule.scheduleId).delete();
    }
    await temporal.close();
    await connection.dropDatabase();
    await connection.close();
  });

  it('creates the two schedules once however many events of the group come, at once or after', async () => {
    const ensure = schedules(30_000);
    const create = jest.spyOn(client.schedule, 'create');
    await Promise.all(Array.from({ length: 20 }, () => ensure.forGroup('g-once')));
    for (let event = 0; event < 20; event += 1) await ensure.forGroup('g-once');
    expect(create).toHaveBeenCalledTimes(2);
    const weekly = await client.schedule.getHandle(ensure.scheduleId('g-once', 'week')).describe();
    expect(weekly.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'MONDAY' }] });
    // Another process (a restart) tries once more and takes the existing ones.
    await schedules(30_000).forGroup('g-once');
    expect(create).toHaveBeenCalledTimes(4);
  });

  it('tries again after a failure, once the retry interval has passed', async () => {
    const create = jest.spyOn(client.schedule, 'create').mockRejectedValueOnce(new Error('temporal away'));
    const patient = schedules(60_000);
    await expect(patient.forGroup('g-retry')).rejects.toThrow('temporal away');
    // Within the interval: no call, the event goes on.
    await patient.forGroup('g-retry');
    expect(create).toHaveBeenCalledTimes(1);

    create.mockRejectedValueOnce(new Error('temporal away'));
    const eager = schedules(0);
    await expect(eager.forGroup('g-retry')).rejects.toThrow('temporal away');
    await eager.forGroup('g-retry');
    await eager.forGroup('g-retry');
    // One failed call, then the two schedules, then nothing more.
    expect(create).toHaveBeenCalledTimes(4);
    await client.schedule.getHandle(eager.scheduleId('g-retry', 'month')).describe();
  });
});
