// The request bodies the benchmark sends. Each OpenAI body has an Anthropic twin made by the gateway's own
// translator, so a direct call to the fake carries exactly the bytes the gateway would send upstream.
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { capabilitiesFor } from '../src/models/catalog.ts';
import { normalizeChatRequest } from '../src/translate/normalize.ts';
import { toAnthropicRequest } from '../src/translate/request.ts';

export const BENCH_MODEL = 'claude-haiku-4-5';

export type OpenAIBody = Record<string, unknown>;

export interface Payload {
  /** What a client sends to the gateway's /v1/chat/completions. */
  openai: string;
  /** What the gateway sends to /v1/messages for it (and what the direct calls send). */
  anthropic: string;
  /** The same Anthropic request as an object, for the SDK client. */
  anthropicParams: MessageCreateParams;
}

export function anthropicTwin(body: OpenAIBody): MessageCreateParams {
  const model = String(body['model']);
  return toAnthropicRequest(normalizeChatRequest(body), { model, capabilities: capabilitiesFor(model) }).params;
}

function payload(body: OpenAIBody): Payload {
  const anthropicParams = anthropicTwin(body);
  return { openai: JSON.stringify(body), anthropic: JSON.stringify(anthropicParams), anthropicParams };
}

/** A one-line question: the smallest request an IDE sends. */
export function smallChat(stream: boolean): Payload {
  return payload({
    model: BENCH_MODEL,
    max_tokens: 256,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    messages: [
      { role: 'system', content: 'You are a concise coding assistant.' },
      { role: 'user', content: 'In one sentence, why does keep-alive lower request latency?' },
    ],
  });
}

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a file from the workspace and return its text.',
      parameters: { type: 'object', properties: { path: { type: 'string', description: 'Workspace-relative path' } }, required: ['path'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'run_command',
      description: 'Run a shell command in the workspace and return its output.',
      parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
    },
  },
];

/** Deterministic source-like text of about `bytes` characters, so every run sends the same body. */
function fileText(seed: number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `export function step${seed}_${i}(input: number): number { return (input * ${(seed * 31 + i) % 97}) % ${i + 7}; } // "quoted" \\ path`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/**
 * An agent session after many tool rounds: system prompt, tools, and assistant tool calls each answered by a
 * tool result of about 4 KB, until the OpenAI body reaches `targetBytes`. It ends with a tool result, as an
 * agent loop's next turn does.
 */
export function longConversation(targetBytes = 200 * 1024): Payload {
  const messages: unknown[] = [
    { role: 'system', content: `You are a coding agent working in a TypeScript repository.\n${fileText(0, 1500)}` },
    { role: 'user', content: 'Find why the build fails and fix it. Read the files you need.' },
  ];
  const body: OpenAIBody = { model: BENCH_MODEL, max_tokens: 1024, tools: TOOLS, messages };
  for (let turn = 1; JSON.stringify(body).length < targetBytes; turn++) {
    const id = `call_${turn.toString().padStart(4, '0')}`;
    messages.push({
      role: 'assistant',
      content: turn % 3 === 0 ? `Checking module ${turn} next.` : null,
      tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: `src/module${turn}.ts` }) } }],
    });
    messages.push({ role: 'tool', tool_call_id: id, content: fileText(turn, 4000) });
  }
  return payload(body);
}
