// Conformance: every chunk and completion the translators produce for the golden fixtures must validate
// against OpenAI's CreateChatCompletionStreamResponse / CreateChatCompletionResponse schemas.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toChatCompletion } from '../../src/translate/response.ts';
import { loadOpenAISchemas, OPENAI_SPEC_PATH } from '../helpers/openai-schema.ts';
import { responseFixtures } from './response-harness.ts';
import { loadStreamFixture, runPieces, streamFixtureNames, TEST_CONTEXT } from './stream-harness.ts';

const schemas = loadOpenAISchemas();
const skip = schemas ? false : `OpenAI spec not found at ${OPENAI_SPEC_PATH}; conformance not checked`;

describe('OpenAI spec conformance', { skip }, () => {
  test('the validator rejects a malformed chunk and completion', () => {
    assert.notDeepStrictEqual(
      schemas!.validateChunk({ id: 'x', object: 'chat.completion.chunk', created: 1.5, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'done' }] }),
      [],
    );
    assert.notDeepStrictEqual(
      schemas!.validateCompletion({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 1 } }] }),
      [],
    );
  });

  test('every chunk of every stream fixture validates', () => {
    let checked = 0;
    for (const name of streamFixtureNames()) {
      const { bytes, expected } = loadStreamFixture(name);
      for (const output of runPieces([bytes], expected.options).outputs) {
        if (output.kind !== 'chunk') continue;
        assert.deepStrictEqual(schemas!.validateChunk(output.chunk), [], `${name}: ${JSON.stringify(output.chunk)}`);
        checked++;
      }
    }
    assert.ok(checked > 40, `only ${checked} chunks checked`);
  });

  test('every non-streaming fixture translates to a valid completion', () => {
    for (const [name, fixture] of responseFixtures()) {
      const { completion } = toChatCompletion(fixture.message, { ...TEST_CONTEXT, ...fixture.context });
      assert.deepStrictEqual(schemas!.validateCompletion(completion), [], name);
    }
  });
});
