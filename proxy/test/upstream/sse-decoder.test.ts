import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SseDecoder, type SseEvent } from '../../src/upstream/sse-decoder.ts';

const utf8 = new TextEncoder();

function decodeAll(pieces: Array<Uint8Array | string>): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const piece of pieces) events.push(...decoder.push(piece));
  events.push(...decoder.end());
  return events;
}

/** Every way of cutting the bytes in two, plus one byte at a time, must decode alike. */
function assertSplitInvariant(text: string, expected: SseEvent[]): void {
  const bytes = utf8.encode(text);
  assert.deepStrictEqual(decodeAll([bytes]), expected, 'whole');
  for (let cut = 0; cut <= bytes.length; cut++) {
    assert.deepStrictEqual(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `cut at byte ${cut}`);
  }
  const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  assert.deepStrictEqual(decodeAll(single), expected, 'one byte at a time');
}

describe('SseDecoder', () => {
  test('decodes named events and defaults the name to message', () => {
    assert.deepStrictEqual(decodeAll(['event: ping\ndata: {"type":"ping"}\n\ndata: plain\n\n']), [
      { event: 'ping', data: '{"type":"ping"}' },
      { event: 'message', data: 'plain' },
    ]);
  });

  test('ignores comments, retry and unknown fields', () => {
    assert.deepStrictEqual(decodeAll([': keep-alive\nretry: 5000\nfoo: bar\nevent: x\n:another\ndata: 1\n\n']), [
      { event: 'x', data: '1' },
    ]);
  });

  test('a block of only comments dispatches nothing, and resets nothing it should not', () => {
    assert.deepStrictEqual(decodeAll([': ping\n\n: ping\n\nevent: a\ndata: 1\n\n']), [{ event: 'a', data: '1' }]);
  });

  test('joins multi-line data with LF and strips only one leading space', () => {
    assert.deepStrictEqual(decodeAll(['data: one\ndata:two\ndata:  three\ndata\n\n']), [
      { event: 'message', data: 'one\ntwo\n three\n' },
    ]);
  });

  test('an event type without data is dropped and does not leak into the next event', () => {
    assert.deepStrictEqual(decodeAll(['event: lonely\n\ndata: next\n\n']), [{ event: 'message', data: 'next' }]);
  });

  test('an empty data line still dispatches an event with empty data', () => {
    assert.deepStrictEqual(decodeAll(['event: e\ndata:\n\n']), [{ event: 'e', data: '' }]);
  });

  test('CR, LF and CRLF all end lines, including mixed in one stream', () => {
    const expected = [
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
      { event: 'c', data: '3' },
    ];
    assert.deepStrictEqual(decodeAll(['event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n']), expected);
    assertSplitInvariant('event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n', expected);
  });

  test('a CR at the end of one piece and LF at the start of the next are one line break', () => {
    assert.deepStrictEqual(decodeAll(['data: x\r', '\n', '\r', '\ndata: y\r\n\r\n']), [
      { event: 'message', data: 'x' },
      { event: 'message', data: 'y' },
    ]);
  });

  test('a UTF-8 character split inside its bytes, including a 4-byte emoji, is reassembled', () => {
    const text = 'data: {"text":"é 🚀 日本"}\n\n';
    const bytes = utf8.encode(text);
    const rocket = bytes.indexOf(0xf0);
    assert.ok(rocket > 0);
    for (const cut of [rocket + 1, rocket + 2, rocket + 3]) {
      assert.deepStrictEqual(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]), [
        { event: 'message', data: '{"text":"é 🚀 日本"}' },
      ]);
    }
    assertSplitInvariant(text, [{ event: 'message', data: '{"text":"é 🚀 日本"}' }]);
  });

  test('end() flushes a final event that has no trailing blank line', () => {
    assert.deepStrictEqual(decodeAll(['event: message_stop\ndata: {"type":"message_stop"}']), [
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ]);
    assert.deepStrictEqual(decodeAll(['data: a\n']), [{ event: 'message', data: 'a' }]);
  });

  test('end() with nothing pending returns nothing', () => {
    const decoder = new SseDecoder();
    assert.deepStrictEqual(decoder.push('data: a\n\n'), [{ event: 'message', data: 'a' }]);
    assert.deepStrictEqual(decoder.end(), []);
  });

  test('a BOM at the start is ignored, even when its bytes are split; a later U+FEFF is data', () => {
    const text = '\uFEFFdata: a\n\ndata: \uFEFFb\n\n';
    const expected = [
      { event: 'message', data: 'a' },
      { event: 'message', data: '\uFEFFb' },
    ];
    assert.deepStrictEqual(decodeAll([text]), expected);
    assertSplitInvariant(text, expected);
  });

  test('without the BOM stripped the first field name would be wrong', () => {
    assert.deepStrictEqual(decodeAll(['\uFEFFevent: a\ndata: 1\n\n']), [{ event: 'a', data: '1' }]);
  });

  test('the last event id is reported and persists, a NUL id is ignored', () => {
    assert.deepStrictEqual(decodeAll(['id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\n']), [
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7' },
      { event: 'message', data: 'c', id: '7' },
    ]);
  });

  test('a field name with no colon is a field with an empty value', () => {
    assert.deepStrictEqual(decodeAll(['event\ndata\n\n']), [{ event: 'message', data: '' }]);
  });

  test('string and byte pieces can be mixed', () => {
    const decoder = new SseDecoder();
    assert.deepStrictEqual(decoder.push('data: a'), []);
    assert.deepStrictEqual(decoder.push(utf8.encode('bc\n')), []);
    assert.deepStrictEqual(decoder.push('\n'), [{ event: 'message', data: 'abc' }]);
  });

  test('a long line arriving one character at a time is kept whole', () => {
    const long = 'x'.repeat(5000);
    const pieces = [...`data: ${long}\n\n`];
    assert.deepStrictEqual(decodeAll(pieces), [{ event: 'message', data: long }]);
  });
});
