import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './errors';

const NUL = '\u0000';
const REASON = 'contains the character U+0000 (NUL), which no text of this API may hold';

/** Where a value sits in what was sent: its parent's entry and its own key or index. */
interface Entry {
  value: unknown;
  parent: Entry | undefined;
  key: string | number | undefined;
}

function pathOf(entry: Entry, key?: string): string {
  const reversed: (string | number)[] = key === undefined ? [] : [key];
  for (let at: Entry | undefined = entry; at; at = at.parent) if (at.key !== undefined) reversed.push(at.key);
  return reversed.reverse().join('.');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The dotted path (as ZodBody names fields) of every string, and of every object key, in `value`
 * that holds U+0000; `''` for `value` itself. Walked without recursion: however deeply a body
 * nests, it cannot exhaust the stack.
 */
export function nulPaths(value: unknown): string[] {
  const found: string[] = [];
  const queue: Entry[] = [{ value, parent: undefined, key: undefined }];
  for (let next = 0; next < queue.length; next++) {
    const entry = queue[next];
    const current = entry.value;
    if (typeof current === 'string') {
      if (current.includes(NUL)) found.push(pathOf(entry));
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => queue.push({ value: item, parent: entry, key: index }));
    } else if (isPlainObject(current)) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes(NUL)) found.push(pathOf(entry, key));
        else queue.push({ value: item, parent: entry, key });
      }
    }
  }
  return found;
}

/**
 * Refuses U+0000 in every path parameter, query parameter and JSON body (400, each place named)
 * before a handler passes it on. No field has a use for it, and the stores cannot hold it:
 * PostgreSQL refuses it in text and JSON, so on FerretDB's PostgreSQL backend a lookup or a
 * write with it fails (a 500) rather than finding or storing nothing.
 */
@Injectable()
export class NoNulCharacters implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    // Custom decorators (the caller) read nothing the client chose as text.
    if (metadata.type === 'custom') return value;
    const paths = nulPaths(value);
    if (paths.length === 0) return value;
    // A single parameter (`@Param('id')`) is named by its decorator; a whole body or query by its fields.
    const prefix = metadata.data ?? '';
    throw new ValidationProblem(
      paths.map((path) => ({
        name: [prefix, path].filter(Boolean).join('.') || (metadata.type === 'body' ? '(body)' : metadata.type),
        reason: REASON,
      })),
    );
  }
}
