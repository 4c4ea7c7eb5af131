// The default scenario, used when no responder is set. Tests rely on it, so it is spelled out here:
//
// 1. If the last user turn contains tool_result blocks: text "Tool results received: <n>", end_turn.
// 2. Else if client tools are offered and the last user text has one or more lines
//    `CALL <toolName> <json>` naming offered tools: those tool_use blocks (parallel when several; only the
//    first when tool_choice disables parallel use), stop_reason tool_use. A line whose JSON does not parse
//    calls the tool with {}. tool_choice "none" suppresses calls; a forced tool_choice ("tool" or "any")
//    without a CALL line calls the forced (or first) tool with {}.
// 3. Else: text "Echo: <last user text, first 200 chars>", end_turn.
// Whenever the request thinks — `thinking` enabled or adaptive, or a model that thinks by default — the
// answer starts with a thinking block ("Considering: <first 80 chars of the last user text>"). On models
// whose thinking display defaults to "omitted" the block comes back with empty text and a signature,
// as the real API does; ask for `display: "summarized"` to see it.
//
// "Last user text" joins the text blocks (and string content) of the last user message with newlines.
import type { FakeContentPlan, FakePlan, RecordedRequest } from './types.ts';
import { findModel } from './models.ts';
import { contentBlocks } from './prompt-layout.ts';

const CALL_LINE = /^CALL ([a-zA-Z0-9_-]{1,128}) (.*)$/gm;

function lastUserMessage(messages: any[]): any | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') return messages[i];
  return undefined;
}

export function lastUserText(messages: any[]): string {
  const blocks = contentBlocks(lastUserMessage(messages)?.content);
  return blocks
    .filter((b) => b?.type === 'text')
    .map((b) => b.text as string)
    .join('\n');
}

function thinksByDefault(body: any): boolean {
  const type = body.thinking?.type;
  if (type === 'enabled' || type === 'adaptive') return true;
  if (type === 'disabled') return false;
  return findModel(String(body.model))?.thinking.onByDefault ?? false;
}

function parseInput(json: string): unknown {
  try {
    const parsed = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function clientToolNames(body: any): string[] {
  return (Array.isArray(body.tools) ? body.tools : [])
    .filter((t: any) => t && (t.type === undefined || t.type === null || t.type === 'custom') && typeof t.name === 'string')
    .map((t: any) => t.name as string);
}

function toolCalls(body: any, text: string): FakeContentPlan[] {
  const names = clientToolNames(body);
  const choice = body.tool_choice;
  if (names.length === 0 || choice?.type === 'none') return [];
  const calls: FakeContentPlan[] = [];
  for (const match of text.matchAll(CALL_LINE)) {
    if (names.includes(match[1]!)) calls.push({ type: 'tool_use', name: match[1]!, input: parseInput(match[2]!.trim()) });
  }
  if (calls.length === 0 && (choice?.type === 'tool' || choice?.type === 'any')) {
    calls.push({ type: 'tool_use', name: choice.type === 'tool' ? choice.name : names[0]!, input: {} });
  }
  return choice?.disable_parallel_tool_use ? calls.slice(0, 1) : calls;
}

export function defaultResponder(req: RecordedRequest): FakePlan {
  const body = req.body ?? {};
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  const text = lastUserText(messages);
  const thinking: FakeContentPlan[] = thinksByDefault(body) ? [{ type: 'thinking', thinking: `Considering: ${text.slice(0, 80)}` }] : [];

  const results = contentBlocks(lastUserMessage(messages)?.content).filter((b) => b?.type === 'tool_result').length;
  if (results > 0) {
    return { content: [...thinking, { type: 'text', text: `Tool results received: ${results}` }], stopReason: 'end_turn' };
  }
  const calls = toolCalls(body, text);
  if (calls.length > 0) return { content: [...thinking, ...calls], stopReason: 'tool_use' };
  return { content: [...thinking, { type: 'text', text: `Echo: ${text.slice(0, 200)}` }], stopReason: 'end_turn' };
}
