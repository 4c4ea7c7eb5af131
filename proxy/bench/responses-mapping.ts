// `npx tsx proxy/bench/responses-mapping.ts`: what the Responses mappers cost on a Codex-sized conversation,
// next to the chat path's own translation of the same conversation, and how fast the stream transducer turns
// Anthropic events into Responses events. In-process and pure: no network, no disk.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { capabilitiesFor } from '../src/models/catalog.ts';
import { messageToEvents } from '../src/translate/message-events.ts';
import { normalizeChatRequest } from '../src/translate/normalize.ts';
import { toAnthropicRequest } from '../src/translate/request.ts';
import { createReasoningSeal } from '../src/translate/responses/reasoning-seal.ts';
import { normalizeResponsesRequest } from '../src/translate/responses/request.ts';
import type { ResponsesContext } from '../src/translate/responses/output.ts';
import { ResponsesStreamTransducer } from '../src/translate/responses/stream.ts';

const MODEL = 'claude-sonnet-5-5';
const seal = createReasoningSeal(Buffer.alloc(32, 9));
const tools = Array.from({ length: 14 }, (_, i) => ({
  type: 'function', name: `tool_${i}`, description: 'A tool. '.repeat(40), strict: false,
  parameters: { type: 'object', properties: { cmd: { type: 'string' }, n: { type: 'number' } }, required: ['cmd'] },
}));

/** A Codex thread after `turns` tool turns: developer prompt, task, then reasoning + call + output per turn. */
function codexInput(turns: number): unknown[] {
  const items: unknown[] = [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are a coding agent. '.repeat(800) }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix the failing test.' }] },
  ];
  for (let t = 0; t < turns; t++) {
    const thought = { type: 'thinking' as const, thinking: `Step ${t}: look at the next file. `.repeat(10), signature: `sig-${t}`.repeat(20) };
    items.push({ type: 'reasoning', id: `rs_${t}`, summary: [], encrypted_content: seal.seal([thought]) });
    items.push({ type: 'function_call', call_id: `toolu_${t}`, name: 'tool_1', arguments: JSON.stringify({ cmd: `cat file_${t}.ts` }) });
    items.push({ type: 'function_call_output', call_id: `toolu_${t}`, output: `line of source ${t}\n`.repeat(60) });
  }
  return items;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const caps = capabilitiesFor(MODEL);
for (const turns of [10, 50]) {
  const input = codexInput(turns);
  const body = { model: MODEL, input, tools, store: false, include: ['reasoning.encrypted_content'], reasoning: { summary: 'auto' } };
  const responsesMs = time(40, () => {
    const { chat } = normalizeResponsesRequest(body, { seal });
    toAnthropicRequest(chat, { model: MODEL, capabilities: caps });
  });
  // The same conversation as a chat client sends it (no reasoning to open).
  const chatBody = { model: MODEL, input: input.filter((i) => (i as { type: string }).type !== 'reasoning'), tools, reasoning: { enabled: true } };
  const chatMs = time(40, () => toAnthropicRequest(normalizeChatRequest(chatBody), { model: MODEL, capabilities: caps }));
  const bytes = JSON.stringify(body).length;
  console.log(`${turns} tool turns (${(bytes / 1024).toFixed(0)} KiB): responses→Anthropic median ${responsesMs.toFixed(2)} ms, chat→Anthropic ${chatMs.toFixed(2)} ms, ratio ${(responsesMs / chatMs).toFixed(2)}`);
}

// Stream: one long text answer cut into small deltas, as Anthropic sends it.
const text = 'word '.repeat(20_000);
const message = { id: 'msg_1', type: 'message', role: 'assistant', model: MODEL, content: [{ type: 'text', text, citations: null }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 20_000 } } as unknown as Message;
const events: unknown[] = messageToEvents(message).flatMap((e): unknown[] =>
  e.type === 'content_block_delta' ? Array.from({ length: 4000 }, () => ({ ...e, delta: { type: 'text_delta', text: 'word '.repeat(5) } })) : [e],
);
const context: ResponsesContext = {
  id: 'resp_bench', createdAt: 0, model: MODEL, store: false, namespaced: new Map(), customToolNames: [], seal: (b) => seal.seal(b),
  echo: { instructions: null, tools: [], tool_choice: 'auto', parallel_tool_calls: true, temperature: null, top_p: null, max_output_tokens: null, metadata: {}, reasoning: { effort: null, summary: null }, text: {} },
};
const streamMs = time(20, () => {
  const transducer = new ResponsesStreamTransducer(context, false);
  for (const event of events) transducer.push(event as never, 0);
});
console.log(`stream transducer: ${events.length} Anthropic events in median ${streamMs.toFixed(2)} ms (${((events.length / streamMs) * 1000 / 1e6).toFixed(2)} M events/s)`);
