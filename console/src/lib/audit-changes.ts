/** One field that an administrative change changed: its dotted path, the value before and after. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

function leaves(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) into.set(prefix, {});
    for (const [field, inner] of entries) leaves(inner, prefix ? `${prefix}.${field}` : field, into);
    return;
  }
  // Lists are compared whole: a holiday list or a staff member's properties read best side by side.
  into.set(prefix, value);
}

/**
 * What an audit entry changed, field by field, in the order the fields appear: the audit keeps
 * the whole subject before and after, a person wants to see what differs.
 */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
  const was = new Map<string, unknown>();
  const is = new Map<string, unknown>();
  leaves(before ?? {}, '', was);
  leaves(after ?? {}, '', is);
  const paths = [...new Set([...was.keys(), ...is.keys()])];
  return paths
    .filter((path) => JSON.stringify(was.get(path)) !== JSON.stringify(is.get(path)))
    .map((path) => ({ path: path || '(all)', before: was.get(path), after: is.get(path) }));
}
