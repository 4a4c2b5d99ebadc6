import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent } from '@complaints/messaging';
import { Case, CaseMembers, CaseMembersSchema, CaseSchema, CasesRepository } from '../src/cases/cases.repository';
import {
  DeliveriesRepository,
  Delivery,
  DeliverySchema,
  type NewDelivery,
} from '../src/deliveries/deliveries.repository';

const groupId = 'g-cases';

/** The filters of the reads and writes a command makes (none for an insert). */
function filtersOf(event: mongoose.mongo.CommandStartedEvent): Record<string, unknown>[] {
  const command = event.command as {
    filter?: Record<string, unknown>;
    updates?: { q: Record<string, unknown> }[];
    deletes?: { q: Record<string, unknown> }[];
  };
  if (command.filter) return [command.filter];
  return [...(command.updates ?? []), ...(command.deletes ?? [])].map((statement) => statement.q);
}

// On FerretDB, which reads a filter other than `_id` alone by decoding the whole collection.
describe('cases as notification follows them', () => {
  let connection: mongoose.Connection;
  let cases: CasesRepository;
  let deliveries: DeliveriesRepository;
  const commands: mongoose.mongo.CommandStartedEvent[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_cases'), monitorCommands: true })
      .asPromise();
    cases = new CasesRepository(
      connection.model(Case.name, CaseSchema),
      connection.model(CaseMembers.name, CaseMembersSchema),
    );
    deliveries = new DeliveriesRepository(connection.model(Delivery.name, DeliverySchema));
    // Indexes first, so that their commands are not counted.
    await Promise.all(Object.values(connection.models).map((model) => model.init()));
    connection.getClient().on('commandStarted', (event) => {
      if (['find', 'update', 'insert', 'delete', 'findAndModify', 'aggregate', 'count'].includes(event.commandName)) {
        commands.push(event);
      }
    });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  function registered(complaintId: string, number: string) {
    return createEvent(
      'registered',
      { groupId, complaintId },
      v1.ComplaintRegistered.fromPartial({
        complaint: { id: complaintId, number, propertyId: 'p1', regionId: 'east', language: 'en' },
      }),
    );
  }
  function routed(complaintId: string, mergedInto = '') {
    return createEvent(
      'routed',
      { groupId, complaintId },
      v1.ComplaintRouted.fromPartial({ severity: 'important', handler: { id: 's-handler' }, mergedInto }),
    );
  }
  const snapshot = (status: string, at: string) =>
    createEvent(
      'note_added',
      {
        groupId,
        complaintId: parent,
        occurredAt: new Date(at),
        lifecycle: { status, severity: 'important', level: 'frontline', round: 1, deadlines: {} },
      },
      v1.NoteAdded.fromPartial({}),
    );
  const follow = async (event: v1.EventEnvelope) => (await cases.apply(event)).subject;
  const parent = randomUUID();
  const member = randomUUID();

  it('writes a registration once and every later event by `_id` alone, in one write', async () => {
    commands.length = 0;
    const created = await follow(registered(parent, 'N-1'));
    expect(created).toMatchObject({ _id: parent, number: 'N-1', language: 'en', handlerId: '', status: 'registered' });
    expect(commands.map((command) => command.commandName)).toEqual(['update']);

    // Remembered from the registration: the write alone, which returns the case as it was.
    commands.length = 0;
    expect(await follow(routed(parent))).toMatchObject({ handlerId: 's-handler', severity: 'important' });
    expect(commands.map((command) => command.commandName)).toEqual(['findAndModify']);

    // Redelivered: the registration is found, nothing changes but the case's version.
    commands.length = 0;
    expect(await follow(registered(parent, 'N-1'))).toMatchObject({ handlerId: 's-handler' });
    expect(commands.map((command) => command.commandName)).toEqual(['update', 'findAndModify']);

    // A process that does not remember the case reads it first, then writes.
    const other = new CasesRepository(
      connection.model(Case.name, CaseSchema),
      connection.model(CaseMembers.name, CaseMembersSchema),
    );
    commands.length = 0;
    expect((await other.apply(routed(parent))).subject).toMatchObject({ handlerId: 's-handler' });
    expect(commands.map((command) => command.commandName)).toEqual(['find', 'findAndModify']);

    expect(await follow(routed(randomUUID()))).toBeNull();
    const foreign = { ...routed(parent), groupId: 'another-group' };
    expect(await follow(foreign)).toBeNull();
  });

  it('decides again on the stored case when another process wrote it since it was remembered', async () => {
    const id = randomUUID();
    const other = new CasesRepository(
      connection.model(Case.name, CaseSchema),
      connection.model(CaseMembers.name, CaseMembersSchema),
    );
    const at = (time: string, status: string) =>
      createEvent(
        'note_added',
        {
          groupId,
          complaintId: id,
          occurredAt: new Date(`2026-11-23T${time}:00Z`),
          lifecycle: { status, severity: 'important', level: 'frontline', round: 1, deadlines: {} },
        },
        v1.NoteAdded.fromPartial({}),
      );
    await follow(registered(id, 'N-9'));
    await follow(at('09:00', 'assigned'));
    // Another replica follows a reassignment and a newer snapshot of the same complaint.
    await other.apply(
      createEvent(
        'reassigned',
        { groupId, complaintId: id },
        v1.ComplaintReassigned.fromPartial({ handler: { id: 's-new' } }),
      ),
    );
    await other.apply(at('11:00', 'investigating'));

    // This process remembers the case at 09:00: the 10:00 snapshot looks newer to it, but is not.
    const seen: Case[] = [];
    const { subject } = await cases.apply(at('10:00', 'acknowledged'), async (next) => {
      seen.push(next);
      return [];
    });
    expect(seen.map((next) => next.status)).toEqual(['acknowledged', 'investigating']);
    expect(subject).toMatchObject({ status: 'investigating', handlerId: 's-new' });
    const stored = await cases.find(groupId, id);
    expect(stored).toMatchObject({ status: 'investigating', handlerId: 's-new' });
    expect(new Date(stored?.lifecycleAt ?? 0).toISOString()).toBe('2026-11-23T11:00:00.000Z');
  });

  it('never lets an older lifecycle snapshot overwrite a newer one', async () => {
    await follow(snapshot('investigating', '2026-11-23T10:00:00Z'));
    const stale = await follow(snapshot('assigned', '2026-11-23T09:00:00Z'));
    expect(stale?.status).toBe('investigating');
    expect((await cases.find(groupId, parent))?.status).toBe('investigating');
  });

  it("keeps a collective's members on the parent's own document, read by `_id`", async () => {
    await follow(registered(member, 'N-2'));
    await follow(routed(member, parent));
    expect((await cases.membersOf(groupId, parent)).map((item) => item.number)).toEqual(['N-2']);
    expect(await cases.membersOf('another-group', parent)).toEqual([]);

    await follow(
      createEvent(
        'unmerged',
        { groupId, complaintId: member },
        v1.ComplaintUnmerged.fromPartial({ fromComplaintId: parent }),
      ),
    );
    expect(await cases.membersOf(groupId, parent)).toEqual([]);
    await follow(
      createEvent(
        'merged',
        { groupId, complaintId: member },
        v1.ComplaintMerged.fromPartial({ intoComplaintId: parent, intoNumber: 'N-1' }),
      ),
    );
    expect((await cases.membersOf(groupId, parent)).map((item) => item.status)).toEqual(['merged']);
  });

  it('lists the deliveries to each complainant on their case, and erases them by `_id`', async () => {
    const planned = (recipientKind: string, recipientId: string) => {
      const delivery: NewDelivery = {
        _id: randomUUID(),
        groupId,
        eventId: 'e-closed',
        eventType: 'transitioned',
        complaintId: parent,
        recipientKind,
        recipientId,
        keyId: '',
        channel: 'sms',
        to: '+86138****8000',
        template: 'closed',
        language: 'zh-CN',
        subject: '投诉已办结',
        text: '您好，您的投诉已办结。',
        params: { number: 'N-1' },
        body: '',
        respectsQuietHours: true,
        timeZone: 'Asia/Shanghai',
      };
      return { delivery };
    };
    const own = planned('complainant', parent);
    const ofMember = planned('complainant', member);
    const toHandler = planned('handler', 's-handler');
    const { planned: result } = await cases.apply(snapshot('closed', '2026-11-24T10:00:00Z'), async (subject) => {
      expect(subject.status).toBe('closed');
      return [own, ofMember, toHandler];
    });
    expect(result).toEqual([own, ofMember, toHandler]);
    expect((await cases.find(groupId, parent))?.complainantDeliveries).toEqual([own.delivery._id]);
    expect((await cases.find(groupId, member))?.complainantDeliveries).toEqual([ofMember.delivery._id]);
    // Planned again (a redelivery): listed once.
    await cases.apply(snapshot('closed', '2026-11-24T10:00:00Z'), async () => [own]);
    expect((await cases.find(groupId, parent))?.complainantDeliveries).toEqual([own.delivery._id]);

    for (const item of [own, ofMember, toHandler]) await deliveries.createOnce(item.delivery);
    const subject = await cases.find(groupId, parent);
    expect(subject?.deliveriesListed).toBe(true);
    expect(await deliveries.eraseComplainant(groupId, parent, subject?.complainantDeliveries ?? [])).toBe(1);
    expect(await deliveries.find(own.delivery._id)).toMatchObject({ to: '', text: '' });
    expect(await deliveries.find(ofMember.delivery._id)).toMatchObject({ to: '+86138****8000' });
    expect(await deliveries.find(toHandler.delivery._id)).toMatchObject({ to: '+86138****8000' });
  });

  it('addressed every document by `_id` alone', () => {
    const filters = commands.flatMap(filtersOf);
    expect(filters.length).toBeGreaterThan(10);
    for (const filter of filters) expect(Object.keys(filter)).toEqual(['_id']);
  });

  it('searches for the deliveries of a case registered before they were listed', async () => {
    const old = randomUUID();
    const delivery: NewDelivery = {
      _id: randomUUID(),
      groupId,
      eventId: 'e-old',
      eventType: 'transitioned',
      complaintId: old,
      recipientKind: 'complainant',
      recipientId: old,
      keyId: '',
      channel: 'email',
      to: 'z***@example.com',
      template: 'receipt',
      language: 'zh-CN',
      subject: '已受理',
      text: '已受理',
      params: {},
      body: '',
      respectsQuietHours: false,
      timeZone: 'Asia/Shanghai',
    };
    await deliveries.createOnce(delivery);
    expect(await deliveries.eraseComplainant(groupId, old, null)).toBe(1);
    expect(await deliveries.find(delivery._id)).toMatchObject({ to: '' });
  });
});
