import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/**
 * The timeline (台账) is the audit record (SPEC §4): each entry's hash covers its facts and the
 * previous entry's hash, so editing, removing or reordering any entry breaks every later link.
 * Canonical JSON (RFC 8785) makes the hash independent of key order.
 */
export interface ChainedFacts {
  complaintId: string;
  seq: number;
  at: string;
  type: string;
  actor: { kind: string; id: string; name: string };
  details: Record<string, unknown>;
  prevHash: string;
}

/** The link before the first entry. */
export const GENESIS_HASH = '';

export function entryHash(facts: ChainedFacts): string {
  const text = canonicalize({
    complaintId: facts.complaintId,
    seq: facts.seq,
    at: facts.at,
    type: facts.type,
    actor: facts.actor,
    details: facts.details,
    prevHash: facts.prevHash,
  });
  return createHash('sha256').update(text).digest('hex');
}

export type ChainVerdict =
  { valid: true; entries: number } | { valid: false; entries: number; firstInvalidSeq: number; reason: string };

/** Checks sequence numbers, links and hashes of a complaint's entries in order. */
export function verifyChain(entries: (ChainedFacts & { hash: string })[]): ChainVerdict {
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
    if (entryHash(entry) !== entry.hash) return fail('entry was changed after it was written');
    prevHash = entry.hash;
  }
  return { valid: true, entries: entries.length };
}
