import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';

// On FerretDB: what every event needs of its group is read once per cache period, and this
// process's own writes are seen at once. Another replica's writes are played by writing to the
// collection directly.
describe("a group's settings and subscriptions, cached", () => {
  let connection: mongoose.Connection;
  let settings: SettingsRepository;
  let subscriptions: SubscriptionsRepository;
  const groupId = 'g-cache';

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_cache') })
      .asPromise();
    settings = new SettingsRepository(connection.model(GroupSettings.name, GroupSettingsSchema));
    subscriptions = new SubscriptionsRepository(connection.model(Subscription.name, SubscriptionSchema));
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('reuses the settings until its own write, and shows the admin what is saved', async () => {
    expect((await settings.forGroup(groupId)).isDefault).toBe(true);
    // Another replica saves: this one keeps the cached settings for a few seconds.
    await connection
      .collection<{ _id: string; settings: unknown; updatedBy: string }>('settings')
      .insertOne({ _id: groupId, settings: { quietHours: null }, updatedBy: 'elsewhere' });
    expect((await settings.forGroup(groupId)).isDefault).toBe(true);
    expect((await settings.forGroup(groupId, { fresh: true })).settings.quietHours).toBeNull();

    await settings.put(groupId, { quietHours: { start: '23:00', end: '07:00' } }, 'admin');
    expect((await settings.forGroup(groupId)).settings.quietHours).toEqual({ start: '23:00', end: '07:00' });
  });

  it('matches events against the cached subscriptions, seeing its own creates and deletes at once', async () => {
    expect(await subscriptions.matching(groupId, 'registered', 'p1')).toEqual([]);
    const secret = 'a-webhook-secret-of-some-length';
    const all = await subscriptions.create({
      groupId,
      url: 'https://partner.example/hooks',
      events: [],
      secret,
      keyId: 'k1',
      propertyIds: [],
    });
    const notes = await subscriptions.create({
      groupId,
      url: 'https://partner.example/notes',
      events: ['note_added'],
      secret,
      keyId: 'k1',
      propertyIds: ['p2'],
    });
    const ids = async (type: string, propertyId: string) =>
      (await subscriptions.matching(groupId, type, propertyId)).map((item) => item._id).sort();
    expect(await ids('registered', 'p1')).toEqual([all._id]);
    expect(await ids('note_added', 'p1')).toEqual([all._id]);
    expect(await ids('note_added', 'p2')).toEqual([all._id, notes._id].sort());
    expect(await subscriptions.matching('another-group', 'note_added', 'p2')).toEqual([]);

    await subscriptions.remove(groupId, all._id, 'k1');
    expect(await ids('note_added', 'p2')).toEqual([notes._id]);
  });
});
