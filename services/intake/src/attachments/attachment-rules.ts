import * as path from 'node:path';
import { filetypeinfo } from 'magic-bytes.js';

/**
 * What evidence may be uploaded (SPEC §2: photos, recordings, documents), with the names a file of
 * that kind carries and the content types its first bytes may show: magic-bytes.js reports the
 * container (an M4A recording and an MP4 video are both `video/mp4`, a DOCX shows as a ZIP family).
 */
const KINDS = {
  'image/jpeg': { extensions: ['.jpg', '.jpeg'], seenAs: ['image/jpeg'] },
  'image/png': { extensions: ['.png'], seenAs: ['image/png'] },
  'image/webp': { extensions: ['.webp'], seenAs: ['image/webp'] },
  'image/heic': { extensions: ['.heic', '.heif'], seenAs: ['image/heif', 'image/heic'] },
  'audio/mpeg': { extensions: ['.mp3'], seenAs: ['audio/mpeg'] },
  'audio/mp4': { extensions: ['.m4a', '.mp4'], seenAs: ['video/mp4', 'audio/mp4', 'audio/x-m4a'] },
  'audio/aac': { extensions: ['.aac'], seenAs: ['audio/aac'] },
  // magic-bytes.js does not know AMR, the format of many Chinese phones' call recordings.
  'audio/amr': { extensions: ['.amr'], seenAs: [], header: '#!AMR' },
  'audio/wav': { extensions: ['.wav'], seenAs: ['audio/x-wav', 'audio/wav'] },
  'video/mp4': { extensions: ['.mp4'], seenAs: ['video/mp4'] },
  'application/pdf': { extensions: ['.pdf'], seenAs: ['application/pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extensions: ['.docx'],
    seenAs: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
  'application/msword': { extensions: ['.doc'], seenAs: ['application/msword'] },
  // Text has no signature: it is text when no format is recognised and it decodes as UTF-8.
  'text/plain': { extensions: ['.txt'], seenAs: [] },
} satisfies Record<string, { extensions: string[]; seenAs: string[]; header?: string }>;

export type AttachmentType = keyof typeof KINDS;
export const ALLOWED_CONTENT_TYPES = Object.keys(KINDS) as AttachmentType[];

export function attachmentProblems(
  file: { filename: string; contentType: string; size: number },
  maxBytes: number,
): Record<string, string> {
  const problems: Record<string, string> = {};
  const filename = file.filename.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!filename || filename.length > 255 || /[\\/\x00-\x1f]/.test(filename)) {
    problems.filename = 'must be 1 to 255 characters without path separators or control characters';
  }
  if (!(ALLOWED_CONTENT_TYPES as readonly string[]).includes(file.contentType)) {
    problems.contentType = `must be one of ${ALLOWED_CONTENT_TYPES.join(', ')}`;
  }
  if (file.size === 0) problems.file = 'is empty';
  if (file.size > maxBytes) problems.file = `is larger than ${maxBytes} bytes`;
  return problems;
}

/**
 * The type the file's content shows, which is the type it is stored and served as: the declared
 * type when the content agrees with it, else the first accepted type the content is. Undefined
 * when the content is none of them (an HTML page or a script called `photo.jpg`).
 */
export function contentTypeOf(data: Uint8Array, declared: string): AttachmentType | undefined {
  const seen = new Set(filetypeinfo(data).flatMap((found) => (found.mime ? [found.mime] : [])));
  const shows = (type: AttachmentType): boolean => {
    const kind: { seenAs: string[]; header?: string } = KINDS[type];
    if (kind.header) return Buffer.from(data.subarray(0, kind.header.length)).toString('latin1') === kind.header;
    if (type === 'text/plain') return seen.size === 0 && isText(data);
    return kind.seenAs.some((mime) => seen.has(mime));
  };
  const candidates = ALLOWED_CONTENT_TYPES.filter((type) => type !== declared);
  if ((ALLOWED_CONTENT_TYPES as readonly string[]).includes(declared)) candidates.unshift(declared as AttachmentType);
  return candidates.find(shows);
}

/** The filename with the extension of its type, so a download opens as what it is. */
export function filenameFor(filename: string, type: AttachmentType): string {
  const trimmed = filename.trim();
  const extension = path.extname(trimmed).toLowerCase();
  const names: readonly string[] = KINDS[type].extensions;
  if (names.includes(extension)) return trimmed;
  return `${trimmed}${names[0]}`;
}

function isText(data: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    // eslint-disable-next-line no-control-regex -- binary files show control characters other than tab and line ends
    return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text);
  } catch {
    return false;
  }
}
