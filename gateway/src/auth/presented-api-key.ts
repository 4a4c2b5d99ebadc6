import type { IncomingHttpHeaders } from 'node:http';

/**
 * The API key a request presents: `Authorization: Bearer <key>` (preferred) or
 * `X-API-Key: <key>` (for clients that cannot set Authorization).
 */
export function presentedApiKey(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const header = headers['x-api-key'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value || undefined;
}
