import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import {
  ComplaintRecord,
  ComplaintSchema,
  NumberClaim,
  NumberClaimSchema,
  NumberCounter,
  NumberCounterSchema,
} from '../src/complaints/complaint.schema';
import { ComplaintsRepository } from '../src/complaints/complaints.repository';

// Against the real MongoDB-compatible store (FerretDB locally, MongoDB when MONGO_URL says so).
describe('complaint number sequences', () => {
  let connection: mongoose.Connection;
  let repository: ComplaintsRepository;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('intake_numbers') })
      .asPromise();
    repository = new ComplaintsRepository(
      connection.model(ComplaintRecord.name, ComplaintSchema),
      connection.model(NumberCounter.name, NumberCounterSchema),
      connection.model(NumberClaim.name, NumberClaimSchema),
    );
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('hands out 1..n exactly once under concurrent registration', async () => {
    const taken = await Promise.all(Array.from({ length: 40 }, () => repository.nextSequence('g1:SHM01:20261123')));
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('keeps a separate sequence per property and day', async () => {
    expect(await repository.nextSequence('g1:SHM02:20261123')).toBe(1);
    expect(await repository.nextSequence('g1:SHM01:20261124')).toBe(1);
    expect(await repository.nextSequence('g1:SHM02:20261123')).toBe(2);
  });
});
