import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { createEvent } from '@complaints/messaging';
import { v1 } from '@complaints/contracts';
import { ComplaintFacts, ComplaintFactsSchema } from '../src/complaint-facts/complaint-facts.schema';
import { ComplaintFactsRepository } from '../src/complaint-facts/complaint-facts.repository';
import { factChanges } from '../src/complaint-facts/project-event';

describe('complaint facts projection', () => {
  let connection: mongoose.Connection;
  let repository: ComplaintFactsRepository;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('reporting_facts') })
      .asPromise();
    const model = connection.model(ComplaintFacts.name, ComplaintFactsSchema);
    await model.init();
    repository = new ComplaintFactsRepository(model);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const events = (complaintId: string): v1.EventEnvelope[] => {
    const header = { groupId: 'g1', complaintId };
    return [
      createEvent('registered', header, {
        complaint: v1.Complaint.fromPartial({
          id: complaintId,
          number: 'SHM01-20261123-0003',
          groupId: 'g1',
          propertyId: 'shm01',
          channel: 'wechat',
          receivedAt: '2026-11-23T02:00:00.000Z',
          complainant: undefined,
          location: 'B1',
          description: '漏水',
          demand: '',
          status: 'registered',
          language: 'zh-CN',
          confidential: false,
          coComplainantCount: 0,
          categoryHint: '',
          severityHint: '',
          registeredAt: '2026-11-23T02:00:01.000Z',
        }),
      }),
      createEvent(
        'routed',
        header,
        v1.ComplaintRouted.fromPartial({
          number: 'SHM01-20261123-0003',
          propertyId: 'shm01',
          category: 'facilities_equipment',
          severity: 'important',
          department: 'engineering',
          reasons: [],
          receivedAt: '2026-11-23T02:00:00.000Z',
        }),
      ),
      createEvent('deadline_breached', header, { deadline: 'firstReplyBy', dueAt: '', severity: 'important' }),
    ];
  };

  async function project(complaintId: string, sequence: v1.EventEnvelope[]) {
    for (const event of sequence) await repository.applyOnce('g1', complaintId, event.eventId, factChanges(event));
    const facts = await repository.find('g1', complaintId);
    if (!facts) throw new Error('no facts');
    const { _id, appliedEventIds, ...rest } = facts as ComplaintFacts & { __v?: number };
    return { ...rest, applied: [...appliedEventIds].sort() };
  }

  it('gives the same row for in-order, reversed and duplicated delivery', async () => {
    const [registered, routed, breached] = events('c-a');
    const inOrder = await project('c-a', [registered, routed, breached]);
    expect(inOrder).toMatchObject({
      number: 'SHM01-20261123-0003',
      channel: 'wechat',
      category: 'facilities_equipment',
      severity: 'important',
      department: 'engineering',
      breaches: ['firstReplyBy'],
    });
    expect(inOrder.applied).toHaveLength(3);

    const reversed = events('c-b').reverse();
    const withDuplicates = [...reversed, reversed[0], reversed[2]];
    const other = await project('c-b', withDuplicates);
    expect({ ...other, applied: undefined }).toEqual({ ...inOrder, applied: undefined });
    expect(other.applied).toHaveLength(3);
  });

  it('reports a duplicate as not applied', async () => {
    const [registered] = events('c-c');
    expect(await repository.applyOnce('g1', 'c-c', registered.eventId, factChanges(registered))).toBe(true);
    expect(await repository.applyOnce('g1', 'c-c', registered.eventId, factChanges(registered))).toBe(false);
  });
});
