import mongoose from 'mongoose';
import { testServers, uniqueDatabase } from '@complaints/devstack';
import { EscalationConfig } from '../src/config';
import { DEFAULT_POLICY } from '../src/policies/deadline-policy';
import { PoliciesRepository } from '../src/policies/policies.repository';
import { CalendarDocument, CalendarSchema, PolicyDocument, PolicySchema } from '../src/policies/policy.schema';

// A policy that sets nothing (`{}`, as `PUT /v1/policies` takes it) is stored and read back as it
// was: Mongoose used to drop the empty object, and every later read of the scope failed (a 500 on
// the policy pages, and no lifecycle could start in the group).
describe('deadline policies in the store', () => {
  let connection: mongoose.Connection;
  let repository: () => PoliciesRepository;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: uniqueDatabase('escalation_policies') })
      .asPromise();
    const policies = connection.model(PolicyDocument.name, PolicySchema);
    const calendars = connection.model(CalendarDocument.name, CalendarSchema);
    // A fresh repository reads the store, not what it wrote.
    repository = () => new PoliciesRepository(policies, calendars, new EscalationConfig({ POLICY_CACHE_MS: '0' }));
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('reads back a policy that sets nothing, for the group and a region', async () => {
    await repository().putOverride('g-empty', { kind: 'group' }, {}, 'test');
    await repository().putOverride('g-empty', { kind: 'region', id: 'east' }, { severities: {} }, 'test');
    expect(await repository().override('g-empty', { kind: 'group' })).toEqual({ severities: {} });
    expect(await repository().override('g-empty', { kind: 'region', id: 'east' })).toEqual({ severities: {} });
    expect(await repository().effective('g-empty', 'east', '')).toEqual(DEFAULT_POLICY);
    const stored = await connection
      .model(PolicyDocument.name)
      .collection.findOne({ groupId: 'g-empty', kind: 'group' });
    expect(stored?.policy).toEqual({ severities: {} });
  });

  it('reads one stored without its policy (written before empty objects were kept) as setting nothing', async () => {
    await connection
      .model(PolicyDocument.name)
      .collection.insertOne({ _id: 'g-old:group:' as never, groupId: 'g-old', kind: 'group', scopeId: '' });
    expect(await repository().override('g-old', { kind: 'group' })).toEqual({ severities: {} });
  });
});
