// The Responses stream transducer on the recorded Anthropic transcripts (fixtures/stream/*.sse): each must give
// exactly its golden event list (fixtures/responses-stream/*.json) whole, cut in two at every byte, and one
// byte at a time; every event must conform to OpenAI's schema, the numbering must have no gaps, and a finished
// stream must end with the very response the non-streaming path builds from the same message.
// UPDATE_GOLDEN=1 rewrites the golden files from the current output (review the diff before committing).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../../../src/errors.ts';
import { createReasoningSeal } from '../../../src/translate/responses/reasoning-seal.ts';
import { toResponse, type ResponsesContext } from '../../../src/translate/responses/output.ts';
import { ResponsesStreamTransducer, type ResponsesEvent } from '../../../src/translate/responses/stream.ts';
import { loadOpenAISchemas } from '../../helpers/openai-schema.ts';
import { decodePieces, loadStreamFixture, streamFixtureNames } from '../stream-harness.ts';

const GOLDEN = fileURLToPath(new URL('../../fixtures/responses-stream/', import.meta.url));
const FINISHED_AT = 1767225660;

export function fixtureContext(customToolNames: readonly string[] = []): ResponsesContext {
  const seal = createReasoningSeal(Buffer.alloc(32, 7));
  return {
    id: 'resp_golden01',
    createdAt: 1767225600,
    model: 'claude-sonnet-5-5',
    echo: {
      instructions: null, tools: [], tool_choice: 'auto', parallel_tool_calls: true, temperature: null, top_p: null,
      max_output_tokens: null, metadata: {}, reasoning: { effort: null, summary: 'auto' }, text: { format: { type: 'text' } },
    },
    store: false,
    namespaced: new Map([['agents__spawn', { name: 'spawn', namespace: 'agents' }]]),
    customToolNames,
    seal: (blocks) => seal.seal(blocks),
  };
}

function replay(pieces: Iterable<Uint8Array>, customToolNames: readonly string[]) {
  const transducer = new ResponsesStreamTransducer(fixtureContext(customToolNames), true);
  const events: ResponsesEvent[] = [];
  for (const sse of decodePieces(pieces)) {
    if (sse.data === '') continue;
    events.push(...transducer.push(JSON.parse(sse.data), FINISHED_AT));
  }
  if (!transducer.done) {
    events.push(...transducer.fail(new GatewayError({ status: 502, type: 'server_error', message: 'The upstream stream ended before the response was complete.' })));
  }
  return { events, transducer };
}

describe('Responses stream golden fixtures', () => {
  for (const name of streamFixtureNames()) {
    describe(name, () => {
      const { bytes, expected } = loadStreamFixture(name);
      const custom = expected.options.customToolNames ?? [];
      const whole = replay([bytes], custom);
      const file = `${GOLDEN}${name}.json`;
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, `${JSON.stringify(whole.events, null, 2)}\n`);
      const golden = JSON.parse(readFileSync(file, 'utf8')) as ResponsesEvent[];

      test('whole transcript gives the golden events, numbered without gaps, each conforming', () => {
        assert.deepStrictEqual(whole.events, golden);
        const schemas = loadOpenAISchemas();
        whole.events.forEach((event, i) => {
          assert.equal(event.sequence_number, i);
          if (schemas) assert.deepEqual(schemas.validateVariant('ResponseStreamEvent', event), [], `${name} event ${i} (${event.type})`);
        });
        assert.ok(['response.completed', 'response.incomplete', 'response.failed'].includes(whole.events.at(-1)!.type));
      });

      test('a finished stream ends with the response the non-streaming path builds', () => {
        const message = whole.transducer.message();
        if (!message) return;
        const final = whole.events.at(-1)! as unknown as { response: unknown };
        assert.deepStrictEqual(final.response, toResponse(message, fixtureContext(custom), FINISHED_AT));
      });

      test('cut in two at every byte boundary, and one byte at a time, gives the same events', () => {
        for (let cut = 0; cut <= bytes.length; cut += 1) {
          assert.deepStrictEqual(replay([bytes.subarray(0, cut), bytes.subarray(cut)], custom).events, golden, `cut at byte ${cut}`);
        }
        const single = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        assert.deepStrictEqual(replay(single, custom).events, golden);
      });
    });
  }
});
