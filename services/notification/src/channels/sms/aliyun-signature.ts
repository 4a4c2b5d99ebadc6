import { createHmac } from 'node:crypto';

/**
 * Alibaba Cloud RPC signing, version 1.0 (HMAC-SHA1), as its POP gateway checks it.
 * https://www.alibabacloud.com/help/en/sms/developer-reference/request-signatures
 */

/** RFC 3986 encoding: encodeURIComponent leaves !'()* alone, and the gateway signs them encoded. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name (code-unit order, as the gateway sorts them), encoded, joined with `&`. */
export function canonicalizedQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

/** The `Signature` parameter for `params` (every parameter except Signature itself). */
export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params)).digest('base64');
}
