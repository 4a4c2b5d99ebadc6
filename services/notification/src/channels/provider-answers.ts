import { types } from 'node:util';

/** A provider's answer as a JSON object, or undefined when it is not one (an HTML error page …). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * fetch hides the socket error (ECONNREFUSED …) in `cause`. isNativeError rather than instanceof:
 * fetch's errors are made in Node's own realm, which is not the caller's under jest.
 */
export function reasonOf(error: unknown): string {
  if (!types.isNativeError(error)) return String(error);
  return types.isNativeError(error.cause) ? `${error.message} (${error.cause.message})` : error.message;
}
