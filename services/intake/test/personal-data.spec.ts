import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus } from '@complaints/messaging';
import { PersonalDataGrpcController } from '../src/personal-data/personal-data.grpc.controller';
import { ComplaintsGrpcController } from '../src/complaints/complaints.grpc.controller';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { ChangeComplaint } from '../src/complaints/use-cases/change-complaint';
import { MaintainPersonalData } from '../src/personal-data/use-cases/maintain-personal-data';
import { PARTNER, registration, startIntake } from './fixtures';

const PHONE = '13800138000';

/** A complaint as MongoDB holds it, read around intake's code. */
interface RawComplaint {
  _id: string;
  number: string;
  description: string;
  complainant: { type: string; key: string; sealed: { keyId: string } | null; erasedAt: Date | null };
}
const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64')}`;

// Intake's real wiring on FerretDB and NATS, restarted with other keys to rotate them.
describe('intake: personal data at rest, reveal and access log, rotation, retention, erasure', () => {
  const servers = testServers();
  const database = uniqueDatabase('intake_personal_data');
  const env = (keys: string, current: string, extra: NodeJS.ProcessEnv = {}) => ({
    MONGO_URL: servers.mongoUrl,
    MONGO_DB: database,
    NATS_URL: servers.natsUrl,
    NATS_CONSUMER_PREFIX: `t${randomUUID().slice(0, 8)}_`,
    PERSONAL_DATA_KEYS: keys,
    PERSONAL_DATA_KEY_ID: current,
    PERSONAL_DATA_INDEX_SECRET: 'test-index-secret-0123456789',
    PERSONAL_DATA_RETENTION_INTERVAL_MS: '0',
    // Days, not the default two years: a pass walks the hours between its runs, and here time jumps.
    PERSONAL_DATA_RETENTION_DAYS: '2',
    ...extra,
  });
  let app: INestApplicationContext;
  const raw = () => app.get<Connection>(getConnectionToken()).collection<RawComplaint>('complaints');
  const grpc = () => app.get(ComplaintsGrpcController);
  const personal = () => app.get(PersonalDataGrpcController);

  beforeAll(async () => {
    app = await startIntake(env(keyA, 'a'));
  });
  afterAll(async () => {
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  it('stores no plaintext, with the key id, answers masked, and publishes no personal data', async () => {
    const bus = app.get(EventBus);
    const seen: v1.EventEnvelope[] = [];
    const { complaint } = await app.get(RegisterComplaint).execute(registration({ groupId: 'demo-group' }));
    const stored = await raw().findOne({ _id: complaint._id });
    const text = JSON.stringify(stored);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('张三');
    expect(text).not.toContain('L2-15');
    expect(stored?.complainant).toMatchObject({ sealed: { keyId: 'a' }, type: 'tenant' });
    expect(stored?.complainant.key).toMatch(/^[0-9a-f]{64}$/);

    const { complaint: answered } = await grpc().getComplaint({ groupId: 'demo-group', complaintId: complaint._id });
    expect(answered?.complainant).toMatchObject({ name: '张*', contact: '138****8000', unit: 'L2***' });
    expect(answered?.complainantKey).toBe(stored?.complainant.key);

    // The registered event as stored in the outbox and published: ids, never the person.
    const consumer = await bus.consume(
      { name: `pd-${randomUUID().slice(0, 8)}`, types: ['registered'] },
      async (event) => {
        if (event.complaintId === complaint._id) seen.push(event);
      },
    );
    await waitFor(() => seen.length > 0);
    await consumer.stop();
    const published = seen[0].payload?.$case === 'registered' ? seen[0].payload.value.complaint : undefined;
    expect(published?.complainant).toEqual({ name: '', contact: '', unit: '', type: 'tenant', anchorTenant: false });
    expect(published?.complainantKey).toBe(stored?.complainant.key);
    expect(Buffer.from(v1.EventEnvelope.encode(seen[0]).finish()).toString('utf8')).not.toContain(PHONE);
  });

  it('reveals with a reason only, and logs who, when, which complaint, which fields, why', async () => {
    const { complaint } = await app.get(RegisterComplaint).execute(registration());
    await expect(
      personal().revealPersonalData({
        groupId: 'demo-group',
        complaintId: complaint._id,
        fields: ['contact'],
        reason: '',
        actor: PARTNER,
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    const revealed = await personal().revealPersonalData({
      groupId: 'demo-group',
      complaintId: complaint._id,
      fields: ['contact', 'name'],
      reason: '回访投诉人 callback',
      actor: PARTNER,
    });
    expect(revealed).toMatchObject({ contact: PHONE, name: '张三', unit: '' });
    const log = await personal().listAccessLog({
      groupId: 'demo-group',
      complaintId: complaint._id,
      actorId: '',
      from: '',
      to: '',
      cursor: '',
      limit: 10,
    });
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({
      actor: PARTNER,
      complaintId: complaint._id,
      complaintNumber: complaint.number,
      fields: ['contact', 'name'],
      reason: '回访投诉人 callback',
    });
    const byOther = await personal().listAccessLog({
      groupId: 'demo-group',
      complaintId: '',
      actorId: 'someone-else',
      from: '',
      to: '',
      cursor: '',
      limit: 10,
    });
    expect(byOther.entries).toHaveLength(0);
  });

  it('rotates keys without downtime: old values open, the pass moves them, the old key can go', async () => {
    const { complaint } = await app
      .get(RegisterComplaint)
      .execute(registration({ complainant: { ...registration().complainant, contact: '13900139000' } }));
    await app.close();
    app = await startIntake(env(`${keyA},${keyB}`, 'b'));
    const { complaint: underA } = await grpc().getComplaint({ groupId: 'demo-group', complaintId: complaint._id });
    expect(underA?.complainant?.contact).toBe('139****9000');
    const fresh = await app.get(RegisterComplaint).execute(registration());
    expect((await raw().findOne({ _id: fresh.complaint._id }))?.complainant.sealed?.keyId).toBe('b');

    // The start-up pass may have moved them already; an explicit pass finishes either way.
    const maintain = app.get(MaintainPersonalData);
    await maintain.reencryptPass();
    expect(await raw().countDocuments({ 'complainant.sealed.keyId': 'a' })).toBe(0);
    expect(await raw().countDocuments({ 'complainant.sealed.keyId': 'b' })).toBeGreaterThanOrEqual(3);
    expect(await maintain.reencryptPass()).toBe(0);

    await app.close();
    app = await startIntake(env(keyB, 'b'));
    const { complaint: underB } = await grpc().getComplaint({ groupId: 'demo-group', complaintId: complaint._id });
    expect(underB?.complainant?.contact).toBe('139****9000');
    const contact = await personal().getComplainantContact({ groupId: 'demo-group', complaintId: complaint._id });
    expect(contact).toEqual({ contact: '13900139000', erased: false });
  });

  it('seals records stored in the clear before sealing existed, then masks and finds them', async () => {
    const { complaint } = await app.get(RegisterComplaint).execute(registration());
    // Made to look like a record written by the previous version: the complainant in the clear.
    await app
      .get<Connection>(getConnectionToken())
      .collection('complaints')
      .updateOne(
        { _id: complaint._id as unknown as never },
        {
          $set: {
            complainant: { name: '钱七', contact: '13600136000', type: 'owner', unit: '5-1201', anchorTenant: false },
          },
        },
      );
    expect(await app.get(MaintainPersonalData).sealPass()).toBeGreaterThanOrEqual(1);
    const stored = await raw().findOne({ _id: complaint._id });
    expect(JSON.stringify(stored)).not.toContain('13600136000');
    expect(JSON.stringify(stored)).not.toContain('钱七');
    expect(stored?.complainant.sealed?.keyId).toBe('b');
    // Found by the blind index like any other: an erasure request for the contact reaches it.
    expect(stored?.complainant.key).toMatch(/^[0-9a-f]{64}$/);
    const { complaint: shown } = await grpc().getComplaint({ groupId: 'demo-group', complaintId: complaint._id });
    expect(shown?.complainant).toMatchObject({ name: '钱*', contact: '136****6000', unit: '5-****', type: 'owner' });
    expect(await app.get(MaintainPersonalData).sealPass()).toBe(0);
  });

  it('reads every complaint at start-up only while a pass can have work', async () => {
    const maintain = app.get(MaintainPersonalData);
    const db = app.get<Connection>(getConnectionToken());
    // As after an upgrade from a version without sealing, with a record in the clear.
    await db.collection('maintenance_state').deleteOne({ _id: 'seal-plaintext' as unknown as never });
    const { complaint } = await app.get(RegisterComplaint).execute(registration());
    const clear = { name: '孙八', contact: '13500135000', type: 'owner', unit: '', anchorTenant: false };
    await db
      .collection('complaints')
      .updateOne({ _id: complaint._id as unknown as never }, { $set: { complainant: clear } });
    // With one key configured (key b alone) there is nothing to re-seal. The pass that sealed
    // something runs again at the next start; one that found nothing marks the migration done.
    expect(await maintain.startUpPasses()).toEqual({ sealed: 1, resealed: 'skipped' });
    expect(await maintain.startUpPasses()).toEqual({ sealed: 0, resealed: 'skipped' });
    expect(await maintain.startUpPasses()).toEqual({ sealed: 'skipped', resealed: 'skipped' });

    // During a rotation (two keys) the re-encryption pass runs at each start.
    await app.close();
    app = await startIntake(env(`${keyA},${keyB}`, 'b'));
    expect(await app.get(MaintainPersonalData).startUpPasses()).toEqual({ sealed: 'skipped', resealed: 0 });
    await app.close();
    app = await startIntake(env(keyB, 'b'));
  });

  it('erases closed complaints after the retention period, keeping their facts', async () => {
    const closed = await app
      .get(RegisterComplaint)
      .execute(registration({ resolvedAtFirstContact: true, firstContactAnswer: '已处理' }));
    const withdrawn = await app.get(RegisterComplaint).execute(registration());
    await app.get(ChangeComplaint).withdraw('demo-group', withdrawn.complaint._id, PARTNER, 'resolved by phone');
    const open = await app.get(RegisterComplaint).execute(registration());

    const maintain = app.get(MaintainPersonalData);
    // Not yet: the period (2 days here) has not passed.
    await maintain.retentionPass();
    expect((await raw().findOne({ _id: closed.complaint._id }))?.complainant.sealed).not.toBeNull();
    // The period and a day later.
    const later = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    expect(await maintain.retentionPass(later)).toBeGreaterThanOrEqual(2);
    for (const id of [closed.complaint._id, withdrawn.complaint._id]) {
      const stored = await raw().findOne({ _id: id });
      expect(stored?.complainant).toMatchObject({ sealed: null, key: '' });
      expect(stored?.complainant.erasedAt).toBeInstanceOf(Date);
      expect(stored?.description).toBe('空调漏水');
      expect(stored?.number).toBeTruthy();
    }
    expect((await raw().findOne({ _id: open.complaint._id }))?.complainant.sealed).not.toBeNull();
    const { complaint: shown } = await grpc().getComplaint({
      groupId: 'demo-group',
      complaintId: closed.complaint._id,
    });
    expect(shown?.complainant).toMatchObject({ name: '', contact: '' });
    expect(shown?.personalDataErasedAt).not.toBe('');
    // A second pass finds nothing more to do.
    expect(await maintain.retentionPass(later)).toBe(0);
  });

  it('erases one complainant everywhere on request and reports each service on the receipt', async () => {
    const contact = '+86 137-0013-7000';
    const first = await app
      .get(RegisterComplaint)
      .execute(registration({ complainant: { ...registration().complainant, contact: '13700137000' } }));
    const second = await app
      .get(RegisterComplaint)
      .execute(registration({ complainant: { ...registration().complainant, contact: '137 0013 7000' } }));
    const other = await app.get(RegisterComplaint).execute(registration());
    const { receipt } = await personal().requestErasure({ groupId: 'demo-group', contact, actor: PARTNER });
    expect(receipt?.complaintIds.sort()).toEqual([first.complaint._id, second.complaint._id].sort());
    expect(receipt?.complete).toBe(false);
    expect(receipt?.confirmations.find((c) => c.service === 'intake')).toMatchObject({
      complaints: 2,
      records: 2,
      complete: true,
    });
    for (const service of ['routing', 'notification']) {
      for (const complaintId of receipt?.complaintIds ?? []) {
        await personal().confirmErasure({
          groupId: 'demo-group',
          requestId: receipt?.id ?? '',
          complaintId,
          service,
          records: 1,
        });
      }
    }
    // A repeated confirmation counts once.
    await personal().confirmErasure({
      groupId: 'demo-group',
      requestId: receipt?.id ?? '',
      complaintId: first.complaint._id,
      service: 'routing',
      records: 5,
    });
    const done = await personal().getErasureRequest({ groupId: 'demo-group', requestId: receipt?.id ?? '' });
    expect(done.receipt?.complete).toBe(true);
    expect(done.receipt?.confirmations.find((c) => c.service === 'routing')).toMatchObject({
      complaints: 2,
      records: 2,
    });
    expect(JSON.stringify(await raw().findOne({ _id: first.complaint._id }))).not.toContain('13700137000');
    expect((await raw().findOne({ _id: other.complaint._id }))?.complainant.sealed).not.toBeNull();
    // No trace of the contact in any form; the ids are left out, as a random one may hold '137'.
    const requests = await app.get<Connection>(getConnectionToken()).collection('erasure_requests').find().toArray();
    const withoutIds = requests.map(({ _id, complaintIds, ...rest }) => rest);
    expect(JSON.stringify(withoutIds)).not.toContain('137');
    expect(JSON.stringify(withoutIds)).not.toContain('0013');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
