import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SKIPPED = new Set(['node_modules', 'dist', '.data', '.infra', '.git', '.turbo']);

function markdownFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

/** What a Markdown file points at in the repository: links and images with a relative target. */
function relativeTargets(text: string): string[] {
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^(https?:|mailto:|#)/.test(target));
}

// Someone who clones the project must be able to read everything it says about itself: every
// page and picture a document links to is in the repository, and nothing points outside it.
describe('the documentation in the repository', () => {
  const files = markdownFiles(ROOT);

  it('has the product, partner, operator and architecture pages the README links to', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const page of ['docs/product.md', 'docs/partners.md', 'docs/operators.md', 'docs/architecture.md'])
      expect({ page, linked: readme.includes(`](${page})`) }).toEqual({ page, linked: true });
  });

  it('links only to files that exist inside the repository', () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const target of relativeTargets(text)) {
        const resolved = path.resolve(path.dirname(file), decodeURIComponent(target.split('#')[0]));
        const inside = resolved === ROOT || resolved.startsWith(ROOT + path.sep);
        if (!inside || !fs.existsSync(resolved)) broken.push(`${path.relative(ROOT, file)} → ${target}`);
      }
      if (/\.\.\/shared|SPEC\.md/.test(text)) broken.push(`${path.relative(ROOT, file)} → outside the repository`);
    }
    expect(broken).toEqual([]);
  });
});
