import { types } from 'node:util';
import type { SendResult } from './channel';

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

/**
 * The provider's own template registered for one of ours, or the refusal when the group has not
 * configured one (a retry cannot help). hasOwn: a key such as "constructor" must not find
 * Object.prototype's.
 */
export function templateFor(
  templates: Record<string, string>,
  key: string,
  what: string,
): { id: string } | { refused: SendResult } {
  if (Object.hasOwn(templates, key)) return { id: templates[key] };
  return {
    refused: {
      ok: false,
      retryable: false,
      providerResponse: '',
      error: `no ${what} configured for template "${key}"`,
    },
  };
}
