// Hostile input: whatever JSON a client sends to /v1/responses, the normaliser and the translator either
// produce a request or refuse it with a 400 naming a field; they never crash with anything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GatewayError } from '../../../src/errors.ts';
import { capabilitiesFor } from '../../../src/models/catalog.ts';
import { toAnthropicRequest } from '../../../src/translate/request.ts';
import { createReasoningSeal } from '../../../src/translate/responses/reasoning-seal.ts';
import { normalizeResponsesRequest } from '../../../src/translate/responses/request.ts';

const seal = createReasoningSeal(Buffer.alloc(32, 5));
const itemTypes = ['message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning', 'item_reference', 'bogus', undefined];
const item = fc.record(
  {
    type: fc.constantFrom(...itemTypes),
    role: fc.constantFrom('user', 'assistant', 'developer', 'system', 'tool', 'nobody'),
    content: fc.oneof(fc.string(), fc.array(fc.record({ type: fc.constantFrom('input_text', 'output_text', 'input_image', 'weird'), text: fc.string() }), { maxLength: 3 }), fc.anything()),
    call_id: fc.oneof(fc.string(), fc.integer()),
    name: fc.oneof(fc.constantFrom('exec_command', 'spawn'), fc.string()),
    namespace: fc.constantFrom('agents', undefined),
    arguments: fc.oneof(fc.json(), fc.anything()),
    output: fc.oneof(fc.string(), fc.anything()),
    input: fc.oneof(fc.string(), fc.anything()),
    encrypted_content: fc.oneof(fc.string(), fc.constant(seal.seal([{ type: 'thinking', thinking: 't', signature: 's' }]))),
  },
  { requiredKeys: ['type'] },
);
const body = fc.record({
  model: fc.oneof(fc.constant('claude-sonnet-4-5'), fc.anything()),
  input: fc.oneof(fc.string(), fc.array(item, { maxLength: 6 }), fc.anything()),
  instructions: fc.oneof(fc.string(), fc.anything()),
  tools: fc.oneof(fc.constant([{ type: 'function', name: 'exec_command' }, { type: 'namespace', name: 'agents', tools: [{ type: 'function', name: 'spawn' }] }]), fc.anything()),
  tool_choice: fc.anything(),
  reasoning: fc.oneof(fc.record({ effort: fc.constantFrom('low', 'high', 'none', 'wild'), summary: fc.constantFrom('auto', 'loud') }), fc.anything()),
  store: fc.anything(),
  include: fc.anything(),
  metadata: fc.anything(),
  temperature: fc.anything(),
  max_output_tokens: fc.anything(),
  text: fc.anything(),
}, { requiredKeys: [] });

test('any body gives a request or a 400 naming a field, never another error', () => {
  fc.assert(
    fc.property(body, (b) => {
      try {
        const { chat } = normalizeResponsesRequest(b, { seal, note: () => {} });
        toAnthropicRequest(chat, { model: 'claude-sonnet-4-5', capabilities: capabilitiesFor('claude-sonnet-4-5') });
      } catch (error) {
        assert.ok(error instanceof GatewayError, `not a GatewayError: ${String(error)}`);
        assert.equal(error.status, 400, error.message);
      }
    }),
    { numRuns: 400, seed: 1414 },
  );
});
