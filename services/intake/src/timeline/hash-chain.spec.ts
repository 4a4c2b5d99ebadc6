import { GENESIS_HASH, TimelineSeal, verifyChain, type ChainedFacts } from './hash-chain';

const key = (fill: number) => Buffer.alloc(32, fill);
const seal = new TimelineSeal({ keys: new Map([['k1', key(1)]]), currentKeyId: 'k1', localDefaults: false });

function chain(count: number, signer = seal) {
  const entries: (ChainedFacts & { hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const entry = signer.sign({
      complaintId: 'c1',
      seq,
      at: `2026-11-23T0${seq}:00:00.000Z`,
      type: 'note',
      actor: { kind: 'partner', id: 'k1', name: 'hotline' },
      details: { text: `note ${seq}`, nested: { b: 1, a: 2 } },
      prevHash,
    });
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}
const headOf = (entries: { seq: number; hash: string }[]) => {
  const last = entries[entries.length - 1];
  return { seq: last.seq, hash: last.hash };
};

describe('timeline HMAC chain', () => {
  it('accepts an untouched chain', () => {
    const entries = chain(4);
    expect(verifyChain(entries, seal, headOf(entries))).toEqual({ valid: true, entries: 4 });
    expect(entries[0].keyId).toBe('k1');
  });

  it('does not depend on key order', () => {
    const [entry] = chain(1);
    const reordered = { ...entry, details: { nested: { a: 2, b: 1 }, text: 'note 1' } };
    expect(seal.problem(reordered)).toBeUndefined();
  });

  it('finds an edited entry', () => {
    const entries = chain(4);
    const head = headOf(entries);
    entries[1] = { ...entries[1], details: { text: 'rewritten' } };
    expect(verifyChain(entries, seal, head)).toMatchObject({
      valid: false,
      firstInvalidSeq: 2,
      reason: 'entry was changed after it was written',
    });
  });

  it('finds a removed entry, a re-signed forgery and a chain cut short', () => {
    const entries = chain(4);
    const head = headOf(entries);
    expect(verifyChain([entries[0], entries[2], entries[3]], seal, head)).toMatchObject({
      valid: false,
      firstInvalidSeq: 3,
    });
    // Rewriting entry 2 and its own hash still breaks the link from entry 3.
    const forged = seal.sign({ ...entries[1], details: { text: 'forged' } });
    expect(verifyChain([entries[0], forged, entries[2], entries[3]], seal, head)).toMatchObject({
      valid: false,
      firstInvalidSeq: 3,
      reason: 'link to the previous entry does not match',
    });
    expect(verifyChain(entries.slice(0, 3), seal, head)).toMatchObject({ valid: false, firstInvalidSeq: 4 });
    // Cut short and the head rewound to an entry that is not the one stored there.
    expect(verifyChain(entries.slice(0, 2), seal, { seq: 2, hash: entries[3].hash })).toMatchObject({
      valid: false,
      firstInvalidSeq: 2,
    });
  });

  it('refuses a whole chain recomputed without the key', () => {
    const outsider = new TimelineSeal({ keys: new Map([['k1', key(9)]]), currentKeyId: 'k1', localDefaults: false });
    const recomputed = chain(3, outsider);
    expect(verifyChain(recomputed, seal, headOf(recomputed))).toMatchObject({
      valid: false,
      firstInvalidSeq: 1,
      reason: 'entry was changed after it was written',
    });
  });

  it('keeps verifying entries made before a rotation, and names a key no longer configured', () => {
    const before = chain(2);
    const rotated = new TimelineSeal({
      keys: new Map([
        ['k1', key(1)],
        ['k2', key(2)],
      ]),
      currentKeyId: 'k2',
      localDefaults: false,
    });
    const after = rotated.sign({ ...before[1], seq: 3, prevHash: before[1].hash });
    const entries = [...before, after];
    expect(after.keyId).toBe('k2');
    expect(verifyChain(entries, rotated, headOf(entries))).toEqual({ valid: true, entries: 3 });
    expect(verifyChain(entries, seal, headOf(entries))).toMatchObject({
      valid: false,
      firstInvalidSeq: 3,
      reason: 'entry is signed with key "k2", which is not configured',
    });
  });
});
