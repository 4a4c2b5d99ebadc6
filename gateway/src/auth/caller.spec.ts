import { inScope } from './caller';

describe('scope of an API key', () => {
  it('covers every property of the group when the key is not limited', () => {
    expect(inScope({ propertyIds: null }, 'shm01')).toBe(true);
  });

  it('covers only the listed properties of a limited key', () => {
    const caller = { propertyIds: ['shm01', 'ofc-07'] };
    expect(inScope(caller, 'shm01')).toBe(true);
    expect(inScope(caller, 'ofc-07')).toBe(true);
    expect(inScope(caller, 'res-02')).toBe(false);
    expect(inScope(caller, 'SHM01')).toBe(false);
  });

  it('covers nothing when the list is empty', () => {
    expect(inScope({ propertyIds: [] }, 'shm01')).toBe(false);
  });
});
