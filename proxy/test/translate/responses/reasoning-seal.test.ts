import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createReasoningSeal } from '../../../src/translate/responses/reasoning-seal.ts';
import type { KeptThinkingBlock } from '../../../src/translate/thinking.ts';

const key = Buffer.alloc(32, 1);
const blocks: KeptThinkingBlock[] = [
  { type: 'thinking', thinking: 'Read "café.ts" first 🚀', signature: 'sig-abc' },
  { type: 'redacted_thinking', data: 'opaque-data' },
];

describe('reasoning seal', () => {
  test('opens what it sealed, unchanged, and hides the text', () => {
    const seal = createReasoningSeal(key);
    const text = seal.seal(blocks);
    assert.match(text, /^cgr1\.[A-Za-z0-9_-]+$/);
    assert.ok(!text.includes('café') && !Buffer.from(text.slice(5), 'base64url').toString('latin1').includes('sig-abc'));
    assert.deepEqual(seal.open(text), blocks);
  });

  test('is a pure function of the blocks: the same blocks seal to the same text, others differ', () => {
    const seal = createReasoningSeal(key);
    assert.equal(seal.seal(blocks), seal.seal(structuredClone(blocks)));
    assert.notEqual(seal.seal(blocks), seal.seal(blocks.slice(0, 1)));
  });

  test('rejects every altered byte, another key, and anything not sealed', () => {
    const seal = createReasoningSeal(key);
    const text = seal.seal(blocks.slice(0, 1));
    const raw = Buffer.from(text.slice(5), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const bent = Buffer.from(raw);
      bent[i]! ^= 0x01;
      assert.equal(seal.open(`cgr1.${bent.toString('base64url')}`), undefined, `byte ${i} flipped`);
    }
    assert.equal(createReasoningSeal(Buffer.alloc(32, 2)).open(text), undefined);
    for (const junk of ['', 'cgr1.', 'cgr1.AAAA', 'gAAAAAB-openai-style', text.slice(0, -1)]) assert.equal(seal.open(junk), undefined, junk);
  });

  test('a sealed payload that is not a list of thinking blocks is refused', () => {
    const seal = createReasoningSeal(key);
    const odd = seal.seal([{ type: 'text', text: 'hi' } as unknown as KeptThinkingBlock]);
    assert.equal(seal.open(odd), undefined);
    assert.throws(() => createReasoningSeal(Buffer.alloc(16)));
  });
});
