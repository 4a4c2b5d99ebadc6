import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { v1 } from '@complaints/contracts';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent } from '@complaints/messaging';
import { Case, CaseMembers, CaseMembersSchema, CaseSchema, CasesRepository } from '../src/cases/cases.repository';

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
  const commands: mongoose.mongo.CommandStartedEvent[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('notify_cases'), monitorCommands: true })
      .asPromise();
    cases = new CasesRepository(
      connection.model(Case.name, CaseSchema),
      connection.model(CaseMembers.name, CaseMembersSchema),
    );
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
  const parent = randomUUID();
  const member = randomUUID();

  it('writes a registration once and every later event by `_id` alone: a read and a write', async () => {
    commands.length = 0;
    const created = await cases.apply(registered(parent, 'N-1'));
    expect(created).toMatchObject({ _id: parent, number: 'N-1', language: 'en', handlerId: '', status: 'registered' });
    expect(commands.map((command) => command.commandName)).toEqual(['update']);

    commands.length = 0;
    expect(await cases.apply(routed(parent))).toMatchObject({ handlerId: 's-handler', severity: 'important' });
    expect(commands.map((command) => command.commandName)).toEqual(['find', 'update']);

    // Redelivered: the registration is found, nothing is written but the no-op upsert.
    commands.length = 0;
    expect(await cases.apply(registered(parent, 'N-1'))).toMatchObject({ handlerId: 's-handler' });
    expect(commands.map((command) => command.commandName)).toEqual(['update', 'find']);

    expect(await cases.apply(routed(randomUUID()))).toBeNull();
    const foreign = { ...routed(parent), groupId: 'another-group' };
    expect(await cases.apply(foreign)).toBeNull();
  });

  it('never lets an older lifecycle snapshot overwrite a newer one', async () => {
    await cases.apply(snapshot('investigating', '2026-11-23T10:00:00Z'));
    const stale = await cases.apply(snapshot('assigned', '2026-11-23T09:00:00Z'));
    expect(stale?.status).toBe('investigating');
    expect((await cases.find(groupId, parent))?.status).toBe('investigating');
  });

  it("keeps a collective's members on the parent's own document, read by `_id`", async () => {
    await cases.apply(registered(member, 'N-2'));
    await cases.apply(routed(member, parent));
    expect((await cases.membersOf(groupId, parent)).map((item) => item.number)).toEqual(['N-2']);
    expect(await cases.membersOf('another-group', parent)).toEqual([]);

    await cases.apply(
      createEvent(
        'unmerged',
        { groupId, complaintId: member },
        v1.ComplaintUnmerged.fromPartial({ fromComplaintId: parent }),
      ),
    );
    expect(await cases.membersOf(groupId, parent)).toEqual([]);
    await cases.apply(
      createEvent(
        'merged',
        { groupId, complaintId: member },
        v1.ComplaintMerged.fromPartial({ intoComplaintId: parent, intoNumber: 'N-1' }),
      ),
    );
    expect((await cases.membersOf(groupId, parent)).map((item) => item.status)).toEqual(['merged']);
  });

  it('addressed every document by `_id` alone', () => {
    const filters = commands.flatMap(filtersOf);
    expect(filters.length).toBeGreaterThan(10);
    for (const filter of filters) expect(Object.keys(filter)).toEqual(['_id']);
  });
});
