// The README stays the short front door (under 15 KB, the two commands, a link to every docs page) and no link
// between the README and docs/ points at a page or image that is not there. Pages other areas are still writing
// may be linked before they exist.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/built-gateway.ts';

const WRITTEN_ELSEWHERE = new Set(['conversation-state.md', 'security.md', 'request-path.md', 'responses-api.md', 'upstreams.md']);
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));

function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/.test(href) && !href.startsWith('#'));
}

describe('README and docs/', () => {
  test('the README is under 15 KB and gives the two commands', () => {
    assert.ok(Buffer.byteLength(readme) < 15 * 1024, `${Buffer.byteLength(readme)} bytes`);
    assert.match(readme, /npm ci && ANTHROPIC_API_KEY=\S+ npm run gateway/);
    assert.match(readme, /npm ci && npm test/);
  });

  test('the README links every docs page', () => {
    for (const page of pages) assert.ok(readme.includes(`](docs/${page})`), `README links docs/${page}`);
  });

  test('every local link resolves', () => {
    const files = [join(ROOT, 'README.md'), ...pages.map((page) => join(ROOT, 'docs', page))];
    for (const file of files) {
      for (const href of localLinks(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), href.split('#')[0]!);
        if (WRITTEN_ELSEWHERE.has(target.split('/').pop()!)) continue;
        assert.ok(existsSync(target), `${file.slice(ROOT.length)} links ${href}`);
      }
    }
  });
});
