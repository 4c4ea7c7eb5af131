// Golden transcripts: every .sse fixture, decoded and transduced, must give exactly its expected output —
// whole, cut in two at every byte, and fed one byte at a time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadStreamFixture, runPieces, streamFixtureNames } from './stream-harness.ts';

const names = streamFixtureNames();

describe('stream golden fixtures', () => {
  test('the fixture set covers the cases the transducer must handle', () => {
    for (const name of [
      'custom-tool-crlf',
      'error-after-deltas',
      'max-tokens',
      'parallel-tools',
      'redacted-thinking',
      'refusal',
      'server-tools-and-unknown',
      'text-cached-prompt',
      'thinking-tool-use',
      'truncated',
    ]) {
      assert.ok(names.includes(name), `missing fixture ${name}`);
    }
    const crlf = loadStreamFixture('custom-tool-crlf').bytes;
    assert.ok(Buffer.from(crlf).includes('\r\n'), 'custom-tool-crlf must use CRLF line endings');
  });

  for (const name of names) {
    describe(name, () => {
      const { bytes, expected } = loadStreamFixture(name);
      const whole = runPieces([bytes], expected.options);

      test('whole transcript gives the expected outputs and final state', () => {
        assert.deepStrictEqual(whole.outputs, expected.outputs);
        assert.equal(whole.transducer.done, true);
        assert.equal(whole.transducer.finishReason(), expected.finishReason);
        assert.deepStrictEqual(whole.transducer.usage(), expected.usage);
        assert.deepStrictEqual(whole.transducer.thinking(), expected.thinking);
      });

      test('cut in two at every byte boundary gives the same events and outputs', () => {
        for (let cut = 0; cut <= bytes.length; cut++) {
          const run = runPieces([bytes.subarray(0, cut), bytes.subarray(cut)], expected.options);
          assert.deepStrictEqual(run.events, whole.events, `events differ when cut at byte ${cut}`);
          assert.deepStrictEqual(run.outputs, expected.outputs, `outputs differ when cut at byte ${cut}`);
        }
      });

      test('one byte at a time gives the same outputs', () => {
        const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        const run = runPieces(pieces, expected.options);
        assert.deepStrictEqual(run.outputs, expected.outputs);
      });
    });
  }
});
