import type { Caller } from '../auth/caller';
import { mayAudit, mayErase, mayRevealPersonalData } from './permissions';

const caller = (admin: boolean, propertyIds: string[] | null = null): Caller => ({
  keyId: 'k',
  keyName: 'hotline',
  groupId: 'g1',
  propertyIds,
  admin,
});

describe('who may see and erase personal data', () => {
  it('lets admin keys of the complaint’s group reveal, audit and erase, and nobody else', () => {
    expect(mayRevealPersonalData(caller(true), { groupId: 'g1', propertyId: 'p1' })).toBe(true);
    expect(mayRevealPersonalData(caller(false), { groupId: 'g1', propertyId: 'p1' })).toBe(false);
    expect(mayRevealPersonalData(caller(true), { groupId: 'g2', propertyId: 'p1' })).toBe(false);
    expect([mayAudit(caller(true)), mayErase(caller(true))]).toEqual([true, true]);
    expect([mayAudit(caller(false)), mayErase(caller(false))]).toEqual([false, false]);
  });

  it('keeps the group-wide log and erasures from an admin key limited to some properties', () => {
    const limited = caller(true, ['p1']);
    expect(mayRevealPersonalData(limited, { groupId: 'g1', propertyId: 'p1' })).toBe(true);
    expect([mayAudit(limited), mayErase(limited)]).toEqual([false, false]);
  });
});
