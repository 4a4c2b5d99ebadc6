import { auditChanges } from './audit-changes';

describe('the changes an audit entry shows', () => {
  it('lists only the fields that differ, nested ones by their path, lists whole', () => {
    expect(
      auditChanges(
        { id: 's-1', onDuty: true, propertyIds: ['a'], address: { city: 'SH', zip: '200000' } },
        { id: 's-1', onDuty: false, propertyIds: ['a', 'b'], address: { city: 'SH', zip: '200001' } },
      ),
    ).toEqual([
      { path: 'onDuty', before: true, after: false },
      { path: 'propertyIds', before: ['a'], after: ['a', 'b'] },
      { path: 'address.zip', before: '200000', after: '200001' },
    ]);
  });

  it('shows what appeared and what went for something new or removed', () => {
    expect(auditChanges(null, { name: 'key', admin: false })).toEqual([
      { path: 'name', before: undefined, after: 'key' },
      { path: 'admin', before: undefined, after: false },
    ]);
    expect(auditChanges({ policy: { general: 1 } }, { policy: null })).toEqual([
      { path: 'policy.general', before: 1, after: undefined },
      { path: 'policy', before: undefined, after: null },
    ]);
    expect(auditChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
