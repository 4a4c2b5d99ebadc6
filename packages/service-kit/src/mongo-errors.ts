/**
 * A write refused by a unique index (E11000). Unique indexes are how this code settles races:
 * they hold on MongoDB and on FerretDB alike, where multi-document transactions and atomic
 * read-modify-write do not.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
