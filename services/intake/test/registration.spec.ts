import { createHash, randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { ManageAttachments } from '../src/attachments/use-cases/manage-attachments';
import { ChangeComplaint } from '../src/complaints/use-cases/change-complaint';
import { ListComplaints } from '../src/complaints/use-cases/list-complaints';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { ReadTimeline } from '../src/timeline/use-cases/read-timeline';
import { domainError, PARTNER, registration, startIntake } from './fixtures';

// Intake's real wiring (Nest modules, FerretDB, NATS) in this process, with the demo seed.
describe('intake: registration, idempotency, timeline, notes, withdrawal, lists', () => {
  let app: INestApplicationContext;
  let register: RegisterComplaint;
  let change: ChangeComplaint;
  let timeline: ReadTimeline;
  let list: ListComplaints;
  let attachments: ManageAttachments;

  beforeAll(async () => {
    const servers = testServers();
    app = await startIntake({
      MONGO_URL: servers.mongoUrl,
      MONGO_DB: uniqueDatabase('intake_registration'),
      NATS_URL: servers.natsUrl,
      NATS_CONSUMER_PREFIX: `t${randomUUID().slice(0, 8)}_`,
      ATTACHMENT_MAX_BYTES: '1048576',
    });
    register = app.get(RegisterComplaint);
    change = app.get(ChangeComplaint);
    timeline = app.get(ReadTimeline);
    list = app.get(ListComplaints);
    attachments = app.get(ManageAttachments);
  });
  afterAll(async () => {
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  const partner = PARTNER;
  const input = registration;

  it("numbers with the property's code and region, one after another under concurrency", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => register.execute(input({ propertyId: 'sh-tower' }))),
    );
    const numbers = results.map((result) => result.complaint.number);
    expect(new Set(numbers).size).toBe(12);
    const sequences = numbers.map((number) => Number(number.split('-')[2])).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 12 }, (_, i) => sequences[0] + i));
    expect(numbers[0]).toMatch(/^SHT01-\d{8}-\d{4}$/);
    expect(results[0].complaint).toMatchObject({ regionId: 'east', status: 'registered', registeredBy: partner });
  });

  it('refuses a property of another group or an unknown one', async () => {
    const error = await domainError(register.execute(input({ propertyId: 'nowhere' })));
    expect(error.code).toBe('invalid_argument');
    expect(error.invalidParams).toHaveProperty('propertyId');
    const otherGroup = await domainError(register.execute(input({ groupId: 'other-group' })));
    expect(otherGroup.invalidParams).toHaveProperty('propertyId');
  });

  it('names every invalid field at once', async () => {
    const error = await domainError(
      register.execute(
        input({
          description: ' ',
          complainant: { name: '', contact: 'x', type: 'tenant', unit: '', anchorTenant: false },
          location: 'x'.repeat(501),
        }),
      ),
    );
    expect(Object.keys(error.invalidParams).sort()).toEqual(['complainant.name', 'description', 'location']);
  });

  it('replays the first result for the same key and body, and refuses another body', async () => {
    const first = await register.execute(input({ idempotencyKey: 'key-1:abc', requestHash: 'h1' }));
    const again = await register.execute(input({ idempotencyKey: 'key-1:abc', requestHash: 'h1' }));
    expect(again).toMatchObject({
      replayed: true,
      complaint: { _id: first.complaint._id, number: first.complaint.number },
    });
    const conflict = await domainError(register.execute(input({ idempotencyKey: 'key-1:abc', requestHash: 'h2' })));
    expect(conflict.code).toBe('conflict');
    // Concurrent retries of one request create one complaint.
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => register.execute(input({ idempotencyKey: 'key-1:race', requestHash: 'h3' }))),
    );
    expect(new Set(racing.map((result) => result.complaint._id)).size).toBe(1);
  });

  it('closes a complaint answered at first contact, which needs the answer', async () => {
    const missing = await domainError(register.execute(input({ resolvedAtFirstContact: true })));
    expect(missing.invalidParams).toHaveProperty('firstContactAnswer');
    const { complaint } = await register.execute(
      input({ resolvedAtFirstContact: true, firstContactAnswer: '已当场更换滤网' }),
    );
    expect(complaint.status).toBe('closed');
    const entries = await timeline.entries('demo-group', complaint._id);
    expect(entries[0]).toMatchObject({
      seq: 1,
      type: 'registered_and_closed',
      details: { firstContactAnswer: '已当场更换滤网' },
    });
  });

  /** Verifies against the end of the chain the complaint records, as the API does. */
  const verify = async (complaintId: string) => {
    const stored = await app
      .get<Connection>(getConnectionToken())
      .collection<{ _id: string; timeline: { seq: number; hash: string } }>('complaints')
      .findOne({ _id: complaintId });
    return timeline.verify('demo-group', complaintId, stored?.timeline ?? { seq: 0, hash: '' });
  };

  it('keeps an HMAC-chained timeline that notices an edited, removed, reordered or cut entry', async () => {
    const entriesOf = app
      .get<Connection>(getConnectionToken())
      .collection<{ _id: string } & Record<string, unknown>>('timeline_entries');
    const threeNotes = async () => {
      const { complaint } = await register.execute(input());
      await change.addNote('demo-group', complaint._id, partner, '客户来电催促');
      await change.addNote('demo-group', complaint._id, partner, '已派工程部');
      return complaint._id;
    };
    const id = await threeNotes();
    const entries = await timeline.entries('demo-group', id);
    expect(entries.map((entry) => [entry.seq, entry.type, entry.keyId])).toEqual([
      [1, 'registered', 'local-1'],
      [2, 'note', 'local-1'],
      [3, 'note', 'local-1'],
    ]);
    expect(entries[2].prevHash).toBe(entries[1].hash);
    expect(await verify(id)).toEqual({ valid: true, entries: 3 });

    await entriesOf.updateOne({ _id: `${id}:2` }, { $set: { 'details.text': '改写' } });
    expect(await verify(id)).toMatchObject({
      valid: false,
      firstInvalidSeq: 2,
      reason: 'entry was changed after it was written',
    });

    const removed = await threeNotes();
    await entriesOf.deleteOne({ _id: `${removed}:2` });
    expect(await verify(removed)).toMatchObject({ valid: false, firstInvalidSeq: 3 });

    // Two entries swapped, each keeping its own hash: the links no longer meet.
    const swapped = await threeNotes();
    const [second, third] = await Promise.all([2, 3].map((seq) => entriesOf.findOne({ _id: `${swapped}:${seq}` })));
    const contentOf = (entry: Record<string, unknown> | null) => {
      const { type, details, at, prevHash, hash } = entry ?? {};
      return { type, details, at, prevHash, hash };
    };
    await entriesOf.updateOne({ _id: `${swapped}:2` }, { $set: contentOf(third) });
    await entriesOf.updateOne({ _id: `${swapped}:3` }, { $set: contentOf(second) });
    expect(await verify(swapped)).toMatchObject({ valid: false, firstInvalidSeq: 2 });

    const cut = await threeNotes();
    await entriesOf.deleteOne({ _id: `${cut}:3` });
    expect(await verify(cut)).toEqual({
      valid: false,
      entries: 2,
      firstInvalidSeq: 3,
      reason: 'the complaint records 3 entries, the timeline ends after 2',
    });

    // Someone who can write the database but does not hold the key recomputes every hash with
    // one of their own: every link matches, and still the chain does not verify.
    const rewritten = await threeNotes();
    let prevHash = '';
    for (const seq of [1, 2, 3]) {
      const entry = (await entriesOf.findOne({ _id: `${rewritten}:${seq}` })) as Record<string, unknown>;
      const facts = { ...entry, prevHash, details: seq === 2 ? { text: '改写' } : entry.details };
      const hash = createHash('sha256').update(JSON.stringify(facts)).digest('hex');
      await entriesOf.updateOne({ _id: `${rewritten}:${seq}` }, { $set: { prevHash, hash, details: facts.details } });
      prevHash = hash;
    }
    await app
      .get<Connection>(getConnectionToken())
      .collection<{ _id: string }>('complaints')
      .updateOne({ _id: rewritten }, { $set: { 'timeline.hash': prevHash } });
    expect(await verify(rewritten)).toMatchObject({ valid: false, firstInvalidSeq: 1 });
  });

  it('withdraws once; a final complaint takes no more notes', async () => {
    const { complaint } = await register.execute(input());
    const withdrawn = await change.withdraw('demo-group', complaint._id, partner, '已私下协商解决');
    expect(withdrawn.status).toBe('withdrawn');
    expect((await domainError(change.withdraw('demo-group', complaint._id, partner, ''))).code).toBe(
      'failed_precondition',
    );
    expect((await domainError(change.addNote('demo-group', complaint._id, partner, 'late'))).code).toBe(
      'failed_precondition',
    );
    expect((await domainError(change.addNote('other-group', complaint._id, partner, 'x'))).code).toBe('not_found');
  });

  it('lists newest first with filters and stable cursor pages', async () => {
    const base = Date.parse('2026-10-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { complaint } = await register.execute(
        input({
          propertyId: 'gz-estate',
          channel: i % 2 ? 'wechat' : 'phone',
          receivedAt: new Date(base + i * 60_000),
        }),
      );
      ids.push(complaint._id);
    }
    const filter = {
      propertyScope: [],
      regionScope: [],
      propertyIds: ['gz-estate'],
      regionIds: ['south'],
      statuses: [],
      severities: [],
      categories: [],
      channels: [],
      receivedFrom: new Date(base),
      receivedTo: new Date(base + 10 * 60_000),
      overdueOnly: false,
    };
    const first = await list.execute('demo-group', filter, { limit: 2 });
    const second = await list.execute('demo-group', filter, { limit: 2, cursor: first.nextCursor });
    const third = await list.execute('demo-group', filter, { limit: 2, cursor: second.nextCursor });
    expect([...first.complaints, ...second.complaints, ...third.complaints].map((c) => c._id)).toEqual(
      [...ids].reverse(),
    );
    expect(third.nextCursor).toBeUndefined();

    const wechat = await list.execute('demo-group', { ...filter, channels: ['wechat'] }, {});
    expect(wechat.complaints.map((c) => c._id)).toEqual([ids[3], ids[1]]);
    const outOfScope = await list.execute('demo-group', { ...filter, propertyScope: ['sh-mall'] }, {});
    expect(outOfScope.complaints).toEqual([]);
    expect((await domainError(list.execute('demo-group', filter, { cursor: 'garbage' }))).invalidParams).toHaveProperty(
      'cursor',
    );
  });

  it('keeps the staff named on a confidential complaint (staff of the group only) and lists it only to them', async () => {
    const receivedAt = new Date('2026-09-01T00:00:00Z');
    const { complaint } = await register.execute(
      input({ propertyId: 'gz-estate', receivedAt, confidential: true, confidentialStaffIds: ['s-he-jun'] }),
    );
    expect(complaint.confidentialStaffIds).toEqual(['s-he-jun']);
    const unknown = await domainError(
      register.execute(input({ confidential: true, confidentialStaffIds: ['s-nobody'] })),
    );
    expect(unknown.invalidParams).toEqual({ 'confidentialStaffIds.0': 'is not a staff member of this group' });

    const filter = {
      propertyScope: ['gz-estate'],
      regionScope: ['south'],
      propertyIds: [],
      regionIds: [],
      statuses: [],
      severities: [],
      categories: [],
      channels: [],
      receivedFrom: receivedAt,
      receivedTo: new Date(receivedAt.getTime() + 1),
      overdueOnly: false,
    };
    const seen = (viewer?: { staffId: string; actorId: string }) =>
      list
        .execute('demo-group', { ...filter, confidentialViewer: viewer }, {})
        .then((page) => page.complaints.map((c) => c._id));
    expect(await seen({ staffId: 's-he-jun', actorId: '' })).toEqual([complaint._id]);
    expect(await seen({ staffId: 's-huang-mei', actorId: '' })).toEqual([]);
    expect(await seen({ staffId: '', actorId: partner.id })).toEqual([complaint._id]);
    expect(await seen({ staffId: '', actorId: 'another-key' })).toEqual([]);
    expect(await seen(undefined)).toEqual([complaint._id]);
    const otherRegion = await list.execute('demo-group', { ...filter, regionScope: ['east'] }, {});
    expect(otherRegion.complaints).toEqual([]);
  });

  it('stores attachments in GridFS with their checksum, for their own complaint only', async () => {
    const { complaint } = await register.execute(input());
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(300_000, 7)]);
    const stored = await attachments.upload(
      'demo-group',
      complaint._id,
      { filename: '漏水.jpg', contentType: 'image/jpeg', data: photo },
      partner,
    );
    expect(stored).toMatchObject({
      filename: '漏水.jpg',
      size: photo.length,
      sha256: createHash('sha256').update(photo).digest('hex'),
    });

    const listed = await attachments.list('demo-group', complaint._id);
    expect(listed.map((a) => a.id)).toEqual([stored.id]);
    const read = await attachments.read('demo-group', complaint._id, stored.id);
    expect(read.data.equals(photo)).toBe(true);

    const tooBig = await domainError(
      attachments.upload(
        'demo-group',
        complaint._id,
        { filename: 'a.pdf', contentType: 'application/pdf', data: Buffer.alloc(1_048_577) },
        partner,
      ),
    );
    expect(tooBig.invalidParams).toEqual({ file: 'is larger than 1048576 bytes' });
    const script = await domainError(
      attachments.upload(
        'demo-group',
        complaint._id,
        { filename: 'x.sh', contentType: 'application/x-sh', data: Buffer.from('#!') },
        partner,
      ),
    );
    expect(script.invalidParams).toHaveProperty('contentType');

    // Stored and named as what the bytes are, whatever the uploader declared.
    const page = await attachments.upload(
      'demo-group',
      complaint._id,
      { filename: 'photo.jpg', contentType: 'image/jpeg', data: Buffer.from('<html><script>alert(1)</script>') },
      partner,
    );
    expect(page).toMatchObject({ filename: 'photo.jpg.txt', contentType: 'text/plain' });
    const gif = await domainError(
      attachments.upload(
        'demo-group',
        complaint._id,
        { filename: 'a.jpg', contentType: 'image/jpeg', data: Buffer.from('GIF89a\x01\x00') },
        partner,
      ),
    );
    expect(gif.invalidParams).toEqual({
      contentType: "the file's content is not image/jpeg nor another accepted type",
    });

    const other = await register.execute(input());
    expect((await domainError(attachments.read('demo-group', other.complaint._id, stored.id))).code).toBe('not_found');
    expect((await domainError(attachments.read('other-group', complaint._id, stored.id))).code).toBe('not_found');

    const entries = await timeline.entries('demo-group', complaint._id);
    expect(entries.map((entry) => entry.type)).toEqual(['registered', 'attachment_added', 'attachment_added']);
    expect(await verify(complaint._id)).toEqual({ valid: true, entries: 3 });
  });
});

// What one complaint can be made to hold: a partner looping on notes or uploads meets a limit.
describe('intake: limits per complaint', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    const servers = testServers();
    app = await startIntake({
      MONGO_URL: servers.mongoUrl,
      MONGO_DB: uniqueDatabase('intake_limits'),
      NATS_URL: servers.natsUrl,
      NATS_CONSUMER_PREFIX: `t${randomUUID().slice(0, 8)}_`,
      MAX_TIMELINE_ENTRIES: '3',
      MAX_ATTACHMENTS_PER_COMPLAINT: '2',
    });
  });
  afterAll(async () => {
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  it('takes notes until the timeline holds the most entries, then refuses them', async () => {
    const { complaint } = await app.get(RegisterComplaint).execute(registration());
    const change = app.get(ChangeComplaint);
    await change.addNote('demo-group', complaint._id, PARTNER, 'one');
    await change.addNote('demo-group', complaint._id, PARTNER, 'two');
    const full = await domainError(change.addNote('demo-group', complaint._id, PARTNER, 'three'));
    expect(full.code).toBe('failed_precondition');
    expect(full.invalidParams).toEqual({ text: 'no more notes once the timeline holds 3 entries' });
  });

  it('stores attachments up to the most a complaint holds, then refuses them', async () => {
    const { complaint } = await app.get(RegisterComplaint).execute(registration());
    const attachments = app.get(ManageAttachments);
    const photo = () => ({
      filename: 'a.jpg',
      contentType: 'image/jpeg',
      data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(randomUUID())]),
    });
    await attachments.upload('demo-group', complaint._id, photo(), PARTNER);
    await attachments.upload('demo-group', complaint._id, photo(), PARTNER);
    const third = await domainError(attachments.upload('demo-group', complaint._id, photo(), PARTNER));
    expect(third.code).toBe('failed_precondition');
    expect(await attachments.list('demo-group', complaint._id)).toHaveLength(2);
  });
});
