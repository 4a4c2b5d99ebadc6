import { actingRefusal, grantRefusal, type ActingKey, type ActsFor } from './acting-for-staff';

const liNa = { name: '李娜', roleLevel: 'frontline' as const, propertyIds: ['sh-mall'] };
const gaoFeng = { name: '高峰', roleLevel: 'manager' as const, propertyIds: ['sh-mall'] };
const towerStaff = { name: '陈晨', roleLevel: 'frontline' as const, propertyIds: ['sh-tower'] };
const grant = (overrides: Partial<ActsFor> = {}): ActsFor => ({
  propertyIds: null,
  maxRoleLevel: 'supervisor',
  mayApprove: false,
  mayClose: false,
  ...overrides,
});
const key = (overrides: Partial<ActingKey> = {}): ActingKey => ({
  admin: false,
  propertyIds: null,
  actsFor: grant(),
  ...overrides,
});

describe('acting for staff through a key', () => {
  it('acts for staff up to the level it was given, nobody when given nothing', () => {
    expect(actingRefusal(key(), liNa, { kind: 'act' })).toBeUndefined();
    expect(actingRefusal(key(), gaoFeng, { kind: 'act' })).toBe(
      'this API key acts for staff up to supervisor; 高峰 is manager',
    );
    expect(actingRefusal(key({ actsFor: null }), liNa, { kind: 'act' })).toMatch(/acts for no staff/);
    // An admin key made without a grant acts for everyone it sees.
    expect(actingRefusal(key({ admin: true, actsFor: null }), gaoFeng, { kind: 'close' })).toBeUndefined();
  });

  it('acts only for staff of its properties, on complaints of those properties', () => {
    const mall = key({ actsFor: grant({ propertyIds: ['sh-mall'] }) });
    expect(actingRefusal(mall, liNa, { kind: 'act', propertyId: 'sh-mall' })).toBeUndefined();
    expect(actingRefusal(mall, towerStaff, { kind: 'act' })).toMatch(/works elsewhere/);
    expect(actingRefusal(mall, liNa, { kind: 'act', propertyId: 'sh-tower' })).toMatch(/of sh-mall only/);
    // Without properties in the grant, the key's own scope bounds it.
    expect(actingRefusal(key({ propertyIds: ['sh-tower'] }), liNa, { kind: 'act' })).toMatch(/works elsewhere/);
  });

  it('approves and closes only when given that', () => {
    expect(actingRefusal(key(), liNa, { kind: 'approve' })).toBe('this API key may not approve or reject');
    expect(actingRefusal(key(), liNa, { kind: 'close' })).toBe('this API key may not close complaints');
    const trusted = key({ actsFor: grant({ mayApprove: true, mayClose: true }) });
    expect(actingRefusal(trusted, liNa, { kind: 'approve' })).toBeUndefined();
    expect(actingRefusal(trusted, liNa, { kind: 'close' })).toBeUndefined();
  });

  it('never gives a new key more than the key that makes it', () => {
    const maker = key({ admin: true, actsFor: grant({ propertyIds: ['sh-mall'] }) });
    expect(grantRefusal(maker, { propertyIds: null, actsFor: grant({ propertyIds: ['sh-mall'] }) })).toBeUndefined();
    expect(grantRefusal(maker, { propertyIds: null, actsFor: grant() })).toMatchObject({ name: 'actsFor.propertyIds' });
    expect(
      grantRefusal(maker, { propertyIds: null, actsFor: grant({ propertyIds: ['sh-mall'], maxRoleLevel: 'manager' }) }),
    ).toMatchObject({ name: 'actsFor.maxRoleLevel' });
    expect(
      grantRefusal(maker, { propertyIds: null, actsFor: grant({ propertyIds: ['sh-mall'], mayClose: true }) }),
    ).toMatchObject({ name: 'actsFor.mayClose' });
    expect(
      grantRefusal(key({ admin: true, actsFor: null }), { propertyIds: null, actsFor: grant({ mayClose: true }) }),
    ).toBeUndefined();
    expect(
      grantRefusal('staff', { propertyIds: ['sh-tower'], actsFor: grant({ propertyIds: ['sh-mall'] }) }),
    ).toMatchObject({ name: 'actsFor.propertyIds', reason: "must be within the key's own propertyIds" });
  });
});
