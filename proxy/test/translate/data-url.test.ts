import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64Text, parseDataUrl } from '../../src/translate/data-url.ts';

test('base64 and percent-encoded data URLs', () => {
  assert.deepEqual(parseDataUrl('data:image/PNG;base64,AAAA\nBBBB'), { mediaType: 'image/png', base64: 'AAAABBBB' });
  const text = parseDataUrl('data:text/plain;charset=utf-8,hello%20world')!;
  assert.equal(text.mediaType, 'text/plain');
  assert.equal(decodeBase64Text(text.base64), 'hello world');
  assert.equal(parseDataUrl(',x')?.mediaType, undefined);
  assert.equal(parseDataUrl('https://example.com/a.png'), undefined);
});
