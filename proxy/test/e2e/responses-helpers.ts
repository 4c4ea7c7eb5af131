// Shared pieces of the Responses API tests: an `openai` SDK client on the listening gateway, Codex-like tools,
// and schema checks of every response and streamed event against OpenAI's published spec.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Agent } from 'undici';
import { GATEWAY_KEY, type Harness } from '../helpers/harness.ts';
import { loadOpenAISchemas } from '../helpers/openai-schema.ts';
import { openaiClient } from '../helpers/openai-client.ts';

export function responsesClient(h: Harness, pool: Agent, apiKey = GATEWAY_KEY): OpenAI {
  return openaiClient(h, pool, apiKey);
}

/** Codex's shape: flat function tools, a free-text apply_patch, a namespace group, a hosted tool. */
export const CODEX_LIKE_TOOLS = [
  {
    type: 'function',
    name: 'exec_command',
    description: 'Runs a command in a PTY.',
    strict: false,
    parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
  },
  { type: 'custom', name: 'apply_patch', description: 'Edit files with a patch.', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/s' } },
  {
    type: 'namespace',
    name: 'agents',
    description: 'Tools for sub-agents.',
    tools: [{ type: 'function', name: 'spawn_agent', description: 'Start a sub-agent.', strict: false, parameters: { type: 'object', properties: { task: { type: 'string' } } } }],
  },
  { type: 'web_search', external_web_access: false },
] as unknown as OpenAI.Responses.Tool[];

export function assertValidResponse(response: unknown): void {
  const schemas = loadOpenAISchemas();
  if (!schemas) return;
  assert.deepEqual(schemas.validate('Response', stripSdkExtras(response)), [], 'the response conforms to the Response schema');
}

export function assertValidEvents(events: readonly ResponseStreamEvent[]): void {
  const schemas = loadOpenAISchemas();
  events.forEach((event, i) => {
    assert.equal(event.sequence_number, i, 'sequence numbers count from 0 without gaps');
    if (schemas) assert.deepEqual(schemas.validateVariant('ResponseStreamEvent', stripSdkExtras(event)), [], `event ${i} (${event.type}) conforms`);
  });
}

export function assertValidAs(schema: string, value: unknown): void {
  const schemas = loadOpenAISchemas();
  if (schemas) assert.deepEqual(schemas.validate(schema, value), [], `conforms to ${schema}`);
}

/** The SDK adds `output_text`, `parsed` and `parsed_arguments` to what it returns; the wire object is what is checked. */
export function stripSdkExtras<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'output_text' || key === 'parsed' || key === 'parsed_arguments' ? undefined : v))) as T;
}

export type { Response };
