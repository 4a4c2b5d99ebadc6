import { attachmentProblems, contentTypeOf, filenameFor } from './attachment-rules';

describe('attachment rules', () => {
  it('accepts a photo within the limit', () => {
    expect(attachmentProblems({ filename: '漏水.jpg', contentType: 'image/jpeg', size: 1000 }, 2000)).toEqual({});
  });

  it('names every problem', () => {
    const problems = attachmentProblems(
      { filename: '../etc/passwd', contentType: 'application/x-sh', size: 3000 },
      2000,
    );
    expect(Object.keys(problems).sort()).toEqual(['contentType', 'file', 'filename']);
    expect(problems.file).toBe('is larger than 2000 bytes');
    expect(attachmentProblems({ filename: 'a.pdf', contentType: 'application/pdf', size: 0 }, 2000)).toEqual({
      file: 'is empty',
    });
  });
});

describe('attachment content', () => {
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A \0\0\0\0M4A isom')]);

  it('is the declared type when the bytes agree', () => {
    expect(contentTypeOf(jpeg, 'image/jpeg')).toBe('image/jpeg');
    expect(contentTypeOf(m4a, 'audio/mp4')).toBe('audio/mp4');
    expect(contentTypeOf(Buffer.from('#!AMR\n\x3c'), 'audio/amr')).toBe('audio/amr');
    expect(contentTypeOf(Buffer.from('物业：楼道灯坏了\r\n'), 'text/plain')).toBe('text/plain');
  });

  it('is what the bytes are when the declaration is wrong', () => {
    expect(contentTypeOf(png, 'image/jpeg')).toBe('image/png');
    expect(contentTypeOf(Buffer.from('%PDF-1.7\n'), 'text/plain')).toBe('application/pdf');
  });

  it('is nothing for content no accepted type has', () => {
    expect(contentTypeOf(Buffer.from('<html><script>alert(1)</script>'), 'image/jpeg')).toBe('text/plain');
    expect(contentTypeOf(Buffer.from('GIF89a\x01\x00'), 'image/jpeg')).toBeUndefined();
    expect(contentTypeOf(Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), 'application/pdf')).toBeUndefined();
    expect(contentTypeOf(Buffer.from('#!AMR'), 'text/plain')).toBe('text/plain');
    expect(contentTypeOf(Buffer.from([0x00, 0x01, 0x02]), 'text/plain')).toBeUndefined();
  });

  it('names a file by its type', () => {
    expect(filenameFor('漏水.JPG', 'image/jpeg')).toBe('漏水.JPG');
    expect(filenameFor('invoice.exe', 'application/pdf')).toBe('invoice.exe.pdf');
    expect(filenameFor(' 录音 ', 'audio/amr')).toBe('录音.amr');
  });
});
