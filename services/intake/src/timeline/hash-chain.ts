import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeySet } from '@complaints/config';
import { canonicalize } from 'json-canonicalize';

/**
 * The timeline (台账) is the audit record (SPEC §4): each entry's hash is an HMAC over its facts
 * and the previous entry's hash, under a key from the environment that the database never holds.
 * Editing, removing or reordering an entry breaks every later link, and whoever can write the
 * database cannot compute a chain that verifies. Canonical JSON (RFC 8785) makes the hash
 * independent of key order.
 */
export interface ChainedFacts {
  complaintId: string;
  seq: number;
  at: string;
  type: string;
  actor: { kind: string; id: string; name: string; via?: { keyId: string; name: string } };
  details: Record<string, unknown>;
  prevHash: string;
  /** The key the hash was made with: keys rotate, the entries made before keep theirs. */
  keyId: string;
}

/** The link before the first entry. */
export const GENESIS_HASH = '';

/** The end of the chain as the complaint records it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export type ChainVerdict =
  { valid: true; entries: number } | { valid: false; entries: number; firstInvalidSeq: number; reason: string };

/** Signs new entries with the current key; checks entries with the key each names. */
export class TimelineSeal {
  constructor(private readonly keys: KeySet) {}

  /** The facts with the current key's id, and their hash. */
  sign(facts: Omit<ChainedFacts, 'keyId'>): ChainedFacts & { hash: string } {
    const signed = { ...facts, keyId: this.keys.currentKeyId };
    return { ...signed, hash: this.hash(signed, this.keys.keys.get(this.keys.currentKeyId) as Buffer) };
  }

  /** Why the entry does not hold, or undefined when it does. */
  problem(entry: ChainedFacts & { hash: string }): string | undefined {
    const key = this.keys.keys.get(entry.keyId);
    if (!key) return `entry is signed with key "${entry.keyId}", which is not configured`;
    const expected = Buffer.from(this.hash(entry, key), 'hex');
    const found = Buffer.from(entry.hash, 'hex');
    return found.length === expected.length && timingSafeEqual(found, expected)
      ? undefined
      : 'entry was changed after it was written';
  }

  private hash(facts: ChainedFacts, key: Buffer): string {
    const text = canonicalize({
      complaintId: facts.complaintId,
      seq: facts.seq,
      at: facts.at,
      type: facts.type,
      actor: facts.actor,
      details: facts.details,
      prevHash: facts.prevHash,
      keyId: facts.keyId,
    });
    return createHmac('sha256', key).update(text).digest('hex');
  }
}

/**
 * Checks sequence numbers, links and hashes of a complaint's entries in order, and that the
 * chain reaches the head the complaint records: a chain cut short (or rewound to an earlier
 * entry) no longer ends there. Entries after the head are fine: a writer stopped between storing
 * an entry and its head leaves the head behind, and the next append catches it up.
 */
export function verifyChain(
  entries: (ChainedFacts & { hash: string })[],
  seal: TimelineSeal,
  head: ChainHead,
): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const fail = (reason: string): ChainVerdict => ({
      valid: false,
      entries: entries.length,
      firstInvalidSeq: entry.seq,
      reason,
    });
    if (entry.seq !== index + 1) return fail(`expected entry ${index + 1}, found ${entry.seq}`);
    if (entry.prevHash !== prevHash) return fail('link to the previous entry does not match');
    const problem = seal.problem(entry);
    if (problem) return fail(problem);
    if (entry.seq === head.seq && entry.hash !== head.hash) {
      return fail("the complaint's record of its last entry names another entry here");
    }
    prevHash = entry.hash;
  }
  if (entries.length < head.seq) {
    return {
      valid: false,
      entries: entries.length,
      firstInvalidSeq: entries.length + 1,
      reason: `the complaint records ${head.seq} entries, the timeline ends after ${entries.length}`,
    };
  }
  return { valid: true, entries: entries.length };
}
