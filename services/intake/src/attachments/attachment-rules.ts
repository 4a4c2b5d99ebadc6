/** What evidence may be uploaded (SPEC §2: photos, recordings, documents). */
export const ALLOWED_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/amr',
  'audio/wav',
  'video/mp4',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/msword',
  'text/plain',
] as const;

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
