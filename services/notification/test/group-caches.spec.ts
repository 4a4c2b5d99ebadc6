import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { GroupSettings, GroupSettingsSchema, SettingsRepository } from '../src/settings/settings.repository';
import { Subscription, SubscriptionSchema, SubscriptionsRepository } from '../src/webhooks/subscriptions.repository';
import { LOCAL_SEALER, TEST_CONFIG } from './local-secrets';

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
    settings = new SettingsRepository(
      connection.model(GroupSettings.name, GroupSettingsSchema),
      LOCAL_SEALER,
      TEST_CONFIG,
    );
    subscriptions = new SubscriptionsRepository(connection.model(Subscription.name, SubscriptionSchema), LOCAL_SEALER);
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
    const at = (propertyId: string) => ({ propertyId, confidential: false, registeredByKeyId: '' });
    expect(await subscriptions.matching(groupId, 'registered', at('p1'))).toEqual([]);
    const secret = 'a-webhook-secret-of-some-length';
    const all = await subscriptions.create({
      groupId,
      url: 'https://partner.example/hooks',
      events: [],
      secret,
      keyId: 'k1',
      propertyIds: [],
      seesConfidential: false,
    });
    const notes = await subscriptions.create({
      groupId,
      url: 'https://partner.example/notes',
      events: ['note_added'],
      secret,
      keyId: 'k1',
      propertyIds: ['p2'],
      seesConfidential: false,
    });
    const ids = async (type: string, propertyId: string) =>
      (await subscriptions.matching(groupId, type, at(propertyId))).map((item) => item._id).sort();
    expect(await ids('registered', 'p1')).toEqual([all._id]);
    expect(await ids('note_added', 'p1')).toEqual([all._id]);
    expect(await ids('note_added', 'p2')).toEqual([all._id, notes._id].sort());
    expect(await subscriptions.matching('another-group', 'note_added', at('p2'))).toEqual([]);

    await subscriptions.remove(groupId, all._id, 'k1');
    expect(await ids('note_added', 'p2')).toEqual([notes._id]);
  });

  it('sends a confidential complaint only to admin keys and the key that registered it', async () => {
    const group = 'g-confidential';
    const subscribe = (keyId: string, seesConfidential: boolean) =>
      subscriptions.create({
        groupId: group,
        url: `https://partner.example/${keyId}`,
        events: [],
        secret: 'a-webhook-secret-of-some-length',
        keyId,
        propertyIds: [],
        seesConfidential,
      });
    const admin = await subscribe('admin-key', true);
    const registering = await subscribe('hotline-key', false);
    await subscribe('other-key', false);
    const heard = async (subject: { confidential: boolean; registeredByKeyId: string }) =>
      (await subscriptions.matching(group, 'registered', { propertyId: 'p1', ...subject }))
        .map((item) => item.keyId)
        .sort();
    expect(await heard({ confidential: false, registeredByKeyId: 'hotline-key' })).toEqual([
      'admin-key',
      'hotline-key',
      'other-key',
    ]);
    expect(await heard({ confidential: true, registeredByKeyId: 'hotline-key' })).toEqual(['admin-key', 'hotline-key']);
    expect(await heard({ confidential: true, registeredByKeyId: '' })).toEqual(['admin-key']);
    expect([admin.seesConfidential, registering.seesConfidential]).toEqual([true, false]);
  });

  it('stores webhook and provider secrets sealed, seals ones stored in the clear when read, and opens them to send', async () => {
    const group = 'g-sealed';
    const secret = 'a-webhook-secret-nobody-reads';
    const created = await subscriptions.create({
      groupId: group,
      url: 'https://partner.example/sealed',
      events: [],
      secret,
      keyId: 'k1',
      propertyIds: [],
      seesConfidential: false,
    });
    const raw = connection.collection<{ _id: string } & Record<string, unknown>>('subscriptions');
    const stored = await raw.findOne({ _id: created._id });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.sealedSecret).toMatchObject({ keyId: 'local-1' });
    expect((await subscriptions.find(created._id))?.secret).toBe(secret);
    // Copied onto another subscription, the sealed secret does not open.
    await raw.insertOne({ ...stored, _id: 'copy', groupId: group });
    await expect(subscriptions.find('copy')).rejects.toThrow();
    await raw.deleteOne({ _id: 'copy' });

    // Stored before sealing: read as it is, then sealed.
    await raw.insertOne({
      _id: 'legacy',
      groupId: group,
      url: 'https://partner.example/legacy',
      events: [],
      secret: 'a-secret-stored-in-the-clear',
      keyId: 'k1',
      propertyIds: [],
    });
    expect((await subscriptions.find('legacy'))?.secret).toBe('a-secret-stored-in-the-clear');
    const resealed = await raw.findOne({ _id: 'legacy' });
    expect(resealed?.secret).toBeUndefined();
    expect(resealed?.sealedSecret).toMatchObject({ keyId: 'local-1' });
    expect((await subscriptions.find('legacy'))?.secret).toBe('a-secret-stored-in-the-clear');

    await settings.put(
      group,
      {
        email: { smtpUrl: 'smtp://mailer:smtp-pass-word@127.0.0.1:2525', from: 'noreply@example.com' },
        sms: {
          provider: 'aliyun',
          endpoint: 'http://127.0.0.1:9/',
          accessKeyId: 'id',
          accessKeySecret: 'sms-secret-value',
          signName: '物业',
          templates: {},
        },
      },
      'admin',
    );
    const document = await connection.collection<{ _id: string }>('settings').findOne({ _id: group });
    const text = JSON.stringify(document);
    expect(text).not.toContain('sms-secret-value');
    expect(text).not.toContain('smtp-pass-word');
    const { settings: opened } = await settings.forGroup(group, { fresh: true });
    expect(opened.sms?.accessKeySecret).toBe('sms-secret-value');
    expect(opened.email?.smtpUrl).toBe('smtp://mailer:smtp-pass-word@127.0.0.1:2525');
  });

  it('keeps a masked secret only towards the same server, and sends to provider hosts only', async () => {
    const group = 'g-endpoints';
    const sms = {
      provider: 'aliyun',
      endpoint: 'http://127.0.0.1:9/',
      accessKeyId: 'id',
      accessKeySecret: 'sms-secret-value',
      signName: '物业',
      templates: {},
    };
    await settings.put(
      group,
      { sms, wechat: { apiBase: 'http://127.0.0.1:9', appId: 'a', appSecret: 'wx-secret', templates: {} } },
      'admin',
    );
    const masked = { sms: { ...sms, accessKeySecret: '********' } };
    await settings.put(group, masked, 'admin');
    expect((await settings.forGroup(group, { fresh: true })).settings.sms?.accessKeySecret).toBe('sms-secret-value');

    const moved = await settings
      .put(group, { sms: { ...masked.sms, endpoint: 'http://localhost:9/' } }, 'admin')
      .catch((error: unknown) => error);
    expect(moved).toMatchObject({
      code: 'invalid_argument',
      invalidParams: {
        'sms.accessKeySecret':
          'the SMS endpoint changed, so the stored secret is not sent to it: give the secret again',
      },
    });
    const mailMoved = await settings
      .put(group, { email: { smtpUrl: 'smtp://mailer:********@localhost:2525', from: 'a@b.cn' } }, 'admin')
      .catch((error: unknown) => error);
    expect(mailMoved).toMatchObject({
      invalidParams: { 'email.smtpUrl': 'no password is stored to keep: give the password' },
    });

    const elsewhere = await settings
      .put(group, { sms: { ...sms, endpoint: 'https://sms.attacker.example/' } }, 'admin')
      .catch((error: unknown) => error);
    expect(elsewhere).toMatchObject({
      code: 'invalid_argument',
      invalidParams: {
        'sms.endpoint': 'sms.attacker.example is not a provider host this platform sends to (127.0.0.1, localhost)',
      },
    });
    const defaultWechat = await settings
      .put(group, { wechat: { appId: 'a', appSecret: 'wx', templates: {} } }, 'admin')
      .catch((error: unknown) => error);
    expect((defaultWechat as { invalidParams: Record<string, string> }).invalidParams['wechat.apiBase']).toContain(
      'api.weixin.qq.com',
    );
    expect((await settings.forGroup(group, { fresh: true })).settings.sms?.endpoint).toBe('http://127.0.0.1:9/');
  });
});
