import { attachmentProblems } from './attachment-rules';

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
