import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { ComplaintFacts, ComplaintFactsSchema } from '../src/complaint-facts/complaint-facts.schema';
import { ComplaintFactsRepository } from '../src/complaint-facts/complaint-facts.repository';
import { deriveFacts } from '../src/complaint-facts/derive-facts';
import { factEventOf } from '../src/complaint-facts/fact-event';
import { GROUP, knownComplaints } from './known-events';

// The row store on the real MongoDB-compatible server: each event once, and concurrent writes
// to one complaint in a process (the live consumer and a rebuild) converge on the row all its
// events give.
describe('complaint facts repository', () => {
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

  it('applies an event once and says so', async () => {
    const [registered] = knownComplaints().c1.events.map(factEventOf);
    expect(await repository.record(GROUP, 'rep-c1', registered)).toMatchObject({ applied: true, before: null });
    expect(await repository.record(GROUP, 'rep-c1', registered)).toEqual({ applied: false });
    expect(await repository.eventCount(GROUP, 'rep-c1')).toBe(1);
  });

  it('converges on the derived row when every event of a complaint is written at once, duplicates too', async () => {
    const events = knownComplaints().c2.events.map(factEventOf);
    const results = await Promise.all(
      [...events, ...events.slice(0, 4)].map((event) => repository.record(GROUP, 'rep-c2', event)),
    );
    expect(results.filter((result) => result.applied)).toHaveLength(events.length);
    expect(await repository.find(GROUP, 'rep-c2')).toEqual(deriveFacts(GROUP, 'rep-c2', events));
    expect(await repository.find('another-group', 'rep-c2')).toBeNull();
  });
});
