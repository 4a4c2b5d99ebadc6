import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { v1 } from '@complaints/contracts';
import { HANDOVER_CHECKLIST } from '@complaints/domain';
import { eventually, testServers, uniqueDatabase } from '@complaints/devstack';
import { EventBus, HANDOVER_EVENT_TYPES, payloadOf } from '@complaints/messaging';
import { serviceModule } from '@complaints/service-kit';
import { ComplaintsModule } from '../src/complaints/complaints.module';
import { OutboxRelay } from '../src/complaints/outbox-relay';
import { PendingOutbox } from '../src/complaints/pending-outbox';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { IntakeConfig } from '../src/config';
import { HandoverEvents } from '../src/handover/handover-events';
import { HandoverModule } from '../src/handover/handover.module';
import { HandoverRepository } from '../src/handover/handover.repository';
import { HandoverBook, type WriteHandoverInput } from '../src/handover/use-cases/handover-book';
import { Ledger } from '../src/handover/use-cases/ledger';
import { DEMO_SEED, domainError, registration } from './fixtures';

const HANDOVER_COLLECTIONS = ['handover_entries', 'ledger_days', 'ledger_months', 'handover_heads', 'handover_claims'];
const LI_NA = { id: 's-li-na', name: '李娜' };
const WANG_LEI = { id: 's-wang-lei', name: '王磊' };
const ZHAO_MIN = { id: 's-zhao-min', name: '赵敏' };
// At sh-tower: a chain of its own, for the events.
const SUN_LI = { id: 's-sun-li', name: '孙丽' };
const ZHOU_QIANG = { id: 's-zhou-qiang', name: '周强' };
const WU_FANG = { id: 's-wu-fang', name: '吴芳' };

const entry = (start: string, end: string, overrides: Partial<WriteHandoverInput> = {}): WriteHandoverInput => ({
  groupId: 'demo-group',
  entryId: '',
  propertyId: 'sh-mall',
  shiftName: '早班',
  shiftStart: start,
  shiftEnd: end,
  onShift: [LI_NA],
  items: [],
  residentSituations: '',
  keysAndItems: '',
  notices: '',
  checklist: HANDOVER_CHECKLIST.map((item) => ({ item, checked: true, note: '' })),
  by: LI_NA,
  ...overrides,
});

// Intake's handover book on FerretDB: every read and write of its documents goes by `_id`, and two
// desks writing at once cannot both carry the same follow-ups on.
describe('intake: the handover book', () => {
  const servers = testServers();
  const database = uniqueDatabase('intake_handover');
  let app: INestApplicationContext;
  let book: HandoverBook;
  let ledger: Ledger;
  let listener: EventBus;
  /** Every handover event on the stream, as a consumer of its own hears them. */
  const heard: v1.EventEnvelope[] = [];
  const filters: { collection: string; filter: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(
      serviceModule({
        name: 'intake-test',
        config: new IntakeConfig({
          SEED_FILE: DEMO_SEED,
          MONGO_URL: servers.mongoUrl,
          MONGO_DB: database,
          NATS_URL: servers.natsUrl,
          NATS_CONSUMER_PREFIX: `t${randomUUID().slice(0, 8)}_`,
          OUTBOX_RELAY_INTERVAL_MS: '600000',
          PERSONAL_DATA_RETENTION_INTERVAL_MS: '0',
        }),
        configClass: IntakeConfig,
        features: [ComplaintsModule, HandoverModule],
        protoFiles: [],
        mongo: true,
        grpcCallers: {},
      }),
      { logger: ['error'] },
    );
    await app.init();
    book = app.get(HandoverBook);
    ledger = app.get(Ledger);
    listener = await EventBus.connect({
      url: servers.natsUrl,
      name: 'handover-events-check',
      logger: { log: () => undefined, error: () => undefined },
    });
    await listener.consume(
      { name: `handover-check-${randomUUID().slice(0, 8)}`, types: [...HANDOVER_EVENT_TYPES] },
      async (event) => {
        heard.push(event);
      },
    );
    app
      .get<Connection>(getConnectionToken())
      .getClient()
      .on('commandStarted', (event) => {
        const command = event.command as Record<string, unknown>;
        const collection = command[event.commandName];
        if (typeof collection !== 'string') return;
        const found = [
          command.filter,
          ...((command.updates as { q: unknown }[] | undefined) ?? []).map((update) => update.q),
          ...((command.deletes as { q: unknown }[] | undefined) ?? []).map((deleted) => deleted.q),
        ].filter(Boolean) as Record<string, unknown>[];
        for (const filter of found) filters.push({ collection, filter });
      });
  });

  afterAll(async () => {
    await listener?.close();
    await app.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  it('reads and writes its documents by _id, and the open complaints by property and status', async () => {
    await app.get(RegisterComplaint).execute(registration());
    const first = await book.write(
      entry('2026-12-01T00:00:00Z', '2026-12-01T08:00:00Z', {
        items: [{ id: '', text: '漏水', done: false, note: '' }],
      }),
    );
    expect(first.openComplaints).toHaveLength(1);
    await book.sign('demo-group', first._id, WANG_LEI, '');
    const second = await book.write(
      entry('2026-12-01T08:00:00Z', '2026-12-01T16:00:00Z', { onShift: [WANG_LEI], by: WANG_LEI }),
    );
    expect(second.items.map((item) => [item.text, item.carried])).toEqual([['漏水', true]]);
    await book.sign('demo-group', second._id, LI_NA, '');
    await ledger.review('demo-group', 'sh-mall', second.day, ZHAO_MIN, '');
    await ledger.month('demo-group', 'sh-mall', '2026-12', true);

    const handover = filters.filter((seen) => HANDOVER_COLLECTIONS.includes(seen.collection));
    expect(handover.length).toBeGreaterThan(10);
    expect(handover.filter((seen) => !('_id' in seen.filter))).toEqual([]);
    const openLists = filters.filter(
      (seen) => seen.collection === 'complaints' && JSON.stringify(seen.filter).includes('propertyId'),
    );
    expect(openLists.length).toBeGreaterThan(0);
    for (const { filter } of openLists) expect(JSON.stringify(filter)).toContain('"status"');
  });

  it('lets only one of two desks writing at once carry the follow-ups on', async () => {
    const head = await book.write(
      entry('2026-12-02T00:00:00Z', '2026-12-02T08:00:00Z', {
        items: [{ id: '', text: '钥匙未还', done: false, note: '' }],
      }),
    );
    await book.sign('demo-group', head._id, WANG_LEI, '');
    const results = await Promise.allSettled([
      book.write(entry('2026-12-02T08:00:00Z', '2026-12-02T16:00:00Z', { onShift: [WANG_LEI], by: WANG_LEI })),
      book.write(entry('2026-12-02T08:30:00Z', '2026-12-02T16:00:00Z', { onShift: [ZHAO_MIN], by: ZHAO_MIN })),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'failed_precondition' });
    const day = await ledger.day('demo-group', 'sh-mall', '2026-12-02');
    // The loser left nothing behind: the day holds the head and the one that went on.
    expect(day.entries).toHaveLength(2);
    // Still open from the first day, and from this one's first shift.
    expect(day.entries[1].items.map((item) => item.text)).toEqual(['漏水', '钥匙未还']);
  });

  it('refuses a day of another group, and a month that is not over', async () => {
    const otherGroup = await ledger.day('other-group', 'sh-mall', '2026-12-01').catch((error: unknown) => error);
    expect(otherGroup).toMatchObject({ code: 'not_found' });
    const error = await domainError(
      ledger.archive('demo-group', 'sh-mall', '2026-12', ZHAO_MIN, new Date('2026-12-20T00:00:00Z')),
    );
    expect(error.message).toContain('after the month ends');
  });
  it('publishes one event per action, names it on its record, and none for a refused double action', async () => {
    const published: v1.EventEnvelope[] = [];
    const bus = app.get(EventBus);
    const publish = jest.spyOn(bus, 'publish').mockImplementation(async function (this: EventBus, event) {
      published.push(event);
      return EventBus.prototype.publish.call(this, event);
    });
    const repository = app.get(HandoverRepository);
    try {
      const tower = (start: string, end: string, overrides: Partial<WriteHandoverInput>) =>
        entry(start, end, { propertyId: 'sh-tower', onShift: [SUN_LI], by: SUN_LI, ...overrides });
      // The day shift of 2026-11-03 (08:00–20:00 in Shanghai), written, corrected, signed twice at once.
      const day = await book.write(
        tower('2026-11-03T00:00:00Z', '2026-11-03T12:00:00Z', {
          items: [{ id: '', text: '空调报修待跟进', done: false, note: '' }],
        }),
      );
      const corrected = await book.write(
        tower('2026-11-03T00:00:00Z', '2026-11-03T12:00:00Z', {
          entryId: day._id,
          items: [
            ...day.items.map((item) => ({ id: item.id, text: item.text, done: false, note: '' })),
            { id: '', text: '访客卡少一张', done: false, note: '' },
          ],
        }),
      );
      const signs = await Promise.allSettled([
        book.sign('demo-group', day._id, ZHOU_QIANG, '已阅，空调今晚跟进', new Date('2026-11-03T12:05:00Z')),
        book.sign('demo-group', day._id, WU_FANG, '', new Date('2026-11-03T12:05:00Z')),
      ]);
      expect(signs.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      // The night shift (20:00–08:00), signed the next morning: the day is then ready for review.
      const night = await book.write(
        tower('2026-11-03T12:00:00Z', '2026-11-04T00:00:00Z', {
          shiftName: '夜班',
          onShift: [ZHOU_QIANG],
          by: ZHOU_QIANG,
        }),
      );
      await book.sign('demo-group', night._id, SUN_LI, '', new Date('2026-11-04T00:02:00Z'));
      const reviews = await Promise.allSettled([
        ledger.review('demo-group', 'sh-tower', '2026-11-03', WU_FANG, '台帐齐全'),
        ledger.review('demo-group', 'sh-tower', '2026-11-03', ZHOU_QIANG, ''),
      ]);
      expect(reviews.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      await ledger.archive('demo-group', 'sh-tower', '2026-11', WU_FANG, new Date('2026-12-05T00:00:00Z'));

      const ours = published.filter((event) => event.groupId === 'demo-group' && event.type !== 'registered');
      expect(ours.map((event) => event.type)).toEqual([
        'handover_written',
        'handover_written',
        'handover_signed',
        'handover_written',
        'handover_signed',
        'ledger_day_reviewed',
        'ledger_month_archived',
      ]);
      expect(ours.map((event) => event.complaintId)).toEqual([
        day._id,
        day._id,
        day._id,
        night._id,
        night._id,
        'demo-group:sh-tower:2026-11-03',
        'demo-group:sh-tower:2026-11',
      ]);
      expect(new Set(ours.map((event) => event.eventId)).size).toBe(ours.length);
      const [written, correction, signed, , nightSigned, reviewed, archived] = ours;
      expect(payloadOf(written, 'handover_written')).toMatchObject({
        propertyId: 'sh-tower',
        day: '2026-11-03',
        corrected: false,
        openFollowUps: 1,
        writtenBy: { kind: 'staff', id: SUN_LI.id, name: SUN_LI.name },
        onShift: [{ kind: 'staff', id: SUN_LI.id, name: SUN_LI.name }],
      });
      expect(payloadOf(correction, 'handover_written')).toMatchObject({ corrected: true, openFollowUps: 2 });
      expect(corrected.eventIds).toEqual([written.eventId, correction.eventId]);
      const signature = payloadOf(signed, 'handover_signed');
      // The event names the one who signed, with the note that signature carried.
      const winner = signs.find((result) => result.status === 'fulfilled');
      const stored = (winner as PromiseFulfilledResult<Awaited<ReturnType<HandoverBook['sign']>>>).value;
      expect(signature?.signedBy?.id).toBe(stored.signedBy?.id);
      expect(signature?.note).toBe(stored.signNote);
      expect(signature).toMatchObject({ openFollowUps: 2, dayEntries: 1, daySigned: 1, dayReadyForReview: false });
      expect(payloadOf(nightSigned, 'handover_signed')).toMatchObject({
        signedBy: { id: SUN_LI.id },
        dayEntries: 2,
        daySigned: 2,
        dayReadyForReview: true,
      });
      expect(payloadOf(reviewed, 'ledger_day_reviewed')?.entryIds).toEqual([day._id, night._id]);
      expect(payloadOf(archived, 'ledger_month_archived')).toMatchObject({ month: '2026-11', days: ['2026-11-03'] });

      // Each record names exactly the events of its changes; the refused ones left nothing pending.
      expect((await repository.entry('demo-group', day._id))?.eventIds).toEqual([
        written.eventId,
        correction.eventId,
        signed.eventId,
      ]);
      expect((await repository.day('demo-group', 'sh-tower', '2026-11-03'))?.eventIds).toEqual([reviewed.eventId]);
      expect((await repository.month('demo-group', 'sh-tower', '2026-11'))?.eventIds).toEqual([archived.eventId]);
      // Published once each: the consumer hears every one, and only once.
      const ids = new Set(ours.map((event) => event.eventId));
      await eventually(
        async () => (heard.filter((event) => ids.has(event.eventId)).length === ids.size ? true : undefined),
        'every handover event on the stream',
      );
      expect(heard.filter((event) => ids.has(event.eventId))).toHaveLength(ids.size);
      await eventually(
        async () => ((await app.get(PendingOutbox).all()).some((pending) => ids.has(pending._id)) ? undefined : true),
        'the published events to leave the outbox',
      );
    } finally {
      publish.mockRestore();
    }
  });

  it('loses nothing when the process stops between the write and the publish, and invents nothing', async () => {
    const events = app.get(HandoverEvents);
    const outbox = app.get(PendingOutbox);
    // The process "dies" right after each write: its events are never published by the request.
    const stop = jest.spyOn(events, 'publish').mockResolvedValue(undefined);
    let written: Awaited<ReturnType<HandoverBook['write']>>;
    let signedAt: Date;
    try {
      written = await book.write(
        entry('2026-11-20T00:00:00Z', '2026-11-20T12:00:00Z', {
          propertyId: 'gz-estate',
          onShift: [{ id: 's-huang-mei', name: '黄梅' }],
          by: { id: 's-huang-mei', name: '黄梅' },
        }),
      );
      signedAt = new Date();
      await book.sign('demo-group', written._id, { id: 's-lin-tao', name: '林涛' }, '收到', signedAt);
    } finally {
      stop.mockRestore();
    }
    const stored = await app.get(HandoverRepository).entry('demo-group', written._id);
    expect(stored?.eventIds).toHaveLength(2);
    const pending = (await outbox.all()).filter((item) => item.complaintId === written._id);
    expect(pending.map((item) => item.event.type)).toEqual(['handover_written', 'handover_signed']);
    // A pending event whose write never happened (the process stopped before it): never published.
    const invented = { ...pending[1].event, eventId: randomUUID(), complaintId: written._id };
    await outbox.add(invented);

    const relay = app.get(OutboxRelay);
    // Ten minutes on: past the relay's wait for in-flight requests, and past giving up on the invented one.
    const published = await relay.relayOnce(Date.now() + 10 * 60_000);
    expect(published).toBeGreaterThanOrEqual(2);
    const ids = new Set(stored?.eventIds);
    await eventually(
      async () => (heard.filter((event) => ids.has(event.eventId)).length === 2 ? true : undefined),
      'the relayed events on the stream',
    );
    expect(heard.filter((event) => ids.has(event.eventId)).map((event) => event.type)).toEqual([
      'handover_written',
      'handover_signed',
    ]);
    expect((await outbox.all()).filter((item) => item.complaintId === written._id)).toEqual([]);
    // A second pass has nothing left to publish; the stream never hears of the invented event.
    expect(await relay.relayOnce(Date.now() + 10 * 60_000)).toBe(0);
    expect(heard.some((event) => event.eventId === invented.eventId)).toBe(false);
  });
});
