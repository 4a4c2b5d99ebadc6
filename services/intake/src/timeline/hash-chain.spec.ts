import { entryHash, GENESIS_HASH, verifyChain, type ChainedFacts } from './hash-chain';

function chain(count: number) {
  const entries: (ChainedFacts & { hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const facts: ChainedFacts = {
      complaintId: 'c1',
      seq,
      at: `2026-11-23T0${seq}:00:00.000Z`,
      type: 'note',
      actor: { kind: 'partner', id: 'k1', name: 'hotline' },
      details: { text: `note ${seq}`, nested: { b: 1, a: 2 } },
      prevHash,
    };
    const hash = entryHash(facts);
    entries.push({ ...facts, hash });
    prevHash = hash;
  }
  return entries;
}

describe('timeline hash chain', () => {
  it('accepts an untouched chain', () => {
    expect(verifyChain(chain(4))).toEqual({ valid: true, entries: 4 });
  });

  it('does not depend on key order', () => {
    const [entry] = chain(1);
    expect(entryHash({ ...entry, details: { nested: { a: 2, b: 1 }, text: 'note 1' } })).toBe(entry.hash);
  });

  it('finds an edited entry', () => {
    const entries = chain(4);
    entries[1] = { ...entries[1], details: { text: 'rewritten' } };
    expect(verifyChain(entries)).toMatchObject({
      valid: false,
      firstInvalidSeq: 2,
      reason: 'entry was changed after it was written',
    });
  });

  it('finds a removed entry and a re-hashed forgery', () => {
    const entries = chain(4);
    expect(verifyChain([entries[0], entries[2], entries[3]])).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    // Rewriting entry 2 and its own hash still breaks the link from entry 3.
    const forged = { ...entries[1], details: { text: 'forged' } };
    forged.hash = entryHash(forged);
    expect(verifyChain([entries[0], forged, entries[2], entries[3]])).toMatchObject({
      valid: false,
      firstInvalidSeq: 3,
      reason: 'link to the previous entry does not match',
    });
  });
});
