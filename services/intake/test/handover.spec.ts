import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { HANDOVER_CHECKLIST } from '@complaints/domain';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { serviceModule } from '@complaints/service-kit';
import { ComplaintsModule } from '../src/complaints/complaints.module';
import { RegisterComplaint } from '../src/complaints/use-cases/register-complaint';
import { IntakeConfig } from '../src/config';
import { HandoverModule } from '../src/handover/handover.module';
import { HandoverBook, type WriteHandoverInput } from '../src/handover/use-cases/handover-book';
import { Ledger } from '../src/handover/use-cases/ledger';
import { DEMO_SEED, domainError, registration } from './fixtures';

const HANDOVER_COLLECTIONS = ['handover_entries', 'ledger_days', 'ledger_months', 'handover_heads'];
const LI_NA = { id: 's-li-na', name: '李娜' };
const WANG_LEI = { id: 's-wang-lei', name: '王磊' };
const ZHAO_MIN = { id: 's-zhao-min', name: '赵敏' };

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
});
