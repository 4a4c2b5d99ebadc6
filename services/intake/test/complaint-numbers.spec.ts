import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { repositoriesOn } from './fixtures';

// Against the real MongoDB-compatible store (FerretDB locally, MongoDB when MONGO_URL says so).
describe('complaint number sequences', () => {
  let connection: mongoose.Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('intake_numbers') })
      .asPromise();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('hands out 1..n exactly once under concurrent registration', async () => {
    const { complaints } = repositoriesOn(connection);
    const taken = await Promise.all(Array.from({ length: 40 }, () => complaints.nextSequence('g1:SHM01:20261123')));
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('keeps a separate sequence per property and day', async () => {
    const { complaints } = repositoriesOn(connection);
    expect(await complaints.nextSequence('g1:SHM02:20261123')).toBe(1);
    expect(await complaints.nextSequence('g1:SHM01:20261124')).toBe(1);
    expect(await complaints.nextSequence('g1:SHM02:20261123')).toBe(2);
  });

  it('never hands one number to two replicas, and skips none, each remembering its own last claim', async () => {
    const [a, b] = [repositoriesOn(connection).complaints, repositoriesOn(connection).complaints];
    const taken: number[] = [];
    for (let round = 0; round < 5; round++) {
      taken.push(
        ...(await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).nextSequence('g1:SHM03:20261123')))),
      );
    }
    expect([...taken].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // A process started later begins from the counter's hint, not from 1.
    expect(await repositoriesOn(connection).complaints.nextSequence('g1:SHM03:20261123')).toBe(31);
    // The hint moves every tenth number: another new process tries 31 (taken) before 32.
    expect(await repositoriesOn(connection).complaints.nextSequence('g1:SHM03:20261123')).toBe(32);
  });
});
