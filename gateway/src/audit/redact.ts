/** Names of fields whose values never go into the audit: credentials, however a body spells them. */
const SECRET_FIELD = /secret|password|token|apikey|adminkey|privatekey|credential/i;

export const REDACTED = '[redacted]';

/**
 * A copy safe to keep: every secret-looking field's value replaced. Services already mask the
 * secrets they show (provider settings); this also covers what a route answers once (a new key).
 */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  return Object.fromEntries(
    Object.entries(value).map(([field, inner]) => [
      field,
      SECRET_FIELD.test(field) && inner !== null && inner !== '' ? REDACTED : redact(inner),
    ]),
  );
}
