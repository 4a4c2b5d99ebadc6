import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { Case, CaseMembers, CaseMembersSchema, CaseSchema, CasesRepository } from '../src/cases/cases.repository';
import { DeliveriesRepository, Delivery, DeliverySchema } from '../src/deliveries/deliveries.repository';
import { DropStoredContacts, UpgradeDone, UpgradeDoneSchema } from '../src/deliveries/drop-stored-contacts';

// On FerretDB: what an earlier version stored of complainants' contacts is cleaned at start-up.
describe('notification: contacts stored before they were left out', () => {
  let connection: mongoose.Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_contacts') })
      .asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('drops case contacts, masks complainant addresses and lists collective members, once', async () => {
    const cases = connection.model(Case.name, CaseSchema);
    const deliveries = connection.model(Delivery.name, DeliverySchema);
    const base = { groupId: 'g', eventId: 'e', eventType: 'registered', template: 'receipt', status: 'sent' };
    await cases.collection.insertOne({
      _id: 'c1' as never,
      groupId: 'g',
      number: 'N-1',
      propertyId: 'p',
      contact: '13800138000',
    });
    await deliveries.collection.insertMany([
      {
        _id: randomUUID() as never,
        ...base,
        recipientKind: 'complainant',
        recipientId: 'c1',
        channel: 'sms',
        to: '+8613800138000',
      },
      {
        _id: randomUUID() as never,
        ...base,
        recipientKind: 'complainant',
        recipientId: 'c1',
        channel: 'email',
        to: 'zhang@example.com',
      },
      {
        _id: randomUUID() as never,
        ...base,
        recipientKind: 'handler',
        recipientId: 's1',
        channel: 'email',
        to: 'li.na@example.com',
      },
    ]);
    // Merged before member lists were kept on their own document.
    await cases.collection.insertOne({
      _id: 'c2' as never,
      groupId: 'g',
      number: 'N-2',
      propertyId: 'p',
      mergedInto: 'c1',
    });
    const repository = new CasesRepository(cases, connection.model(CaseMembers.name, CaseMembersSchema));
    expect(await repository.membersOf('g', 'c1')).toEqual([]);
    const cleanup = new DropStoredContacts(
      repository,
      new DeliveriesRepository(deliveries),
      connection.model(UpgradeDone.name, UpgradeDoneSchema),
    );
    expect(await cleanup.run()).toEqual({ cases: 1, deliveries: 2, members: 1 });
    expect((await repository.membersOf('g', 'c1')).map((member) => member._id)).toEqual(['c2']);
    expect(await repository.membersOf('another-group', 'c1')).toEqual([]);
    const stored = JSON.stringify([
      await cases.collection.find().toArray(),
      await deliveries.collection.find().toArray(),
    ]);
    expect(stored).not.toContain('13800138000');
    expect(stored).not.toContain('zhang@');
    expect(stored).toContain('+86138****8000');
    expect(stored).toContain('z***@example.com');
    // Staff addresses are the directory's, not complainants' personal data.
    expect(stored).toContain('li.na@example.com');
    // Done once: a restart does not scan again.
    expect(await cleanup.run()).toEqual({ cases: 0, deliveries: 0, members: 0 });
    expect((await repository.membersOf('g', 'c1')).map((member) => member._id)).toEqual(['c2']);
  });

  it("keeps an erased address erased while the delivery's workflow records an attempt at the same moment", async () => {
    const deliveries = connection.model(Delivery.name, DeliverySchema);
    const repository = new DeliveriesRepository(deliveries);
    const ids = Array.from({ length: 20 }, () => randomUUID());
    await deliveries.collection.insertMany(
      ids.map((id) => ({
        _id: id as never,
        groupId: 'g',
        complaintId: 'c9',
        eventId: 'e',
        eventType: 'registered',
        template: 'receipt',
        status: 'failed',
        recipientKind: 'complainant',
        recipientId: 'c9',
        channel: 'sms',
        to: '+86****8000',
        attempts: [],
      })),
    );
    // FerretDB rewrites a whole document per update: without one write per delivery at a time the
    // attempt's write, read before the erasure's, brings the address back.
    await Promise.all(
      ids.flatMap((id) => [
        repository.recordAttempt(
          id,
          { number: 1, at: new Date(), ok: false, providerResponse: '', error: 'x' },
          'failed',
        ),
        repository.eraseComplainant('g', 'c9', [id]),
      ]),
    );
    const stored = await deliveries.find({ _id: { $in: ids } }).lean<Delivery[]>();
    expect(stored.filter((delivery) => delivery.to !== '').map((delivery) => delivery._id)).toEqual([]);
    expect(stored.every((delivery) => delivery.attempts.length === 1)).toBe(true);
  });
});
