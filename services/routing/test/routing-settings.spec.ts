import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { RoutingSettings, RoutingSettingsSchema } from '../src/classification/decision.schema';
import { RoutingSettingsRepository } from '../src/classification/routing-settings';

// Routing settings are stored as validated, empty objects included: Mongoose used to drop them, so
// `departments: {}` read back as missing (every routing of the group failed) and
// `channelSeverities: {}` (none) as the defaults.
describe('routing settings in the store', () => {
  let connection: mongoose.Connection;
  let repository: () => RoutingSettingsRepository;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('routing_settings') })
      .asPromise();
    const model = connection.model(RoutingSettings.name, RoutingSettingsSchema);
    // A fresh repository has nothing cached: it reads the store.
    repository = () => new RoutingSettingsRepository(model);
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('reads back empty maps as empty, not as missing or as the defaults', async () => {
    const saved = await repository().put('g-empty', { rules: { channelSeverities: {} }, departments: {} }, 'test');
    const read = await repository().forGroup('g-empty');
    expect(read).toEqual(saved);
    expect(read.rules.channelSeverities).toEqual({});
    expect(read.departments).toEqual({ default: {}, properties: {} });
  });

  it('reads settings stored without their empty parts (written before they were kept)', async () => {
    await connection
      .model(RoutingSettings.name)
      .collection.insertOne({ _id: 'g-old' as never, rules: { keywordRules: [] }, updatedBy: 'test' });
    const read = await repository().forGroup('g-old');
    expect(read.departments).toEqual({ default: {}, properties: {} });
    expect(read.rules.keywordRules).toEqual([]);
  });
});
