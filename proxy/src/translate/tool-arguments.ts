// OpenAI tool calls carry their arguments as a JSON string; Anthropic's tool_use wants an object. Clients
// occasionally send text that is not a JSON object (a truncated call, a fenced block, a bare value): it is kept
// whole under `_raw` so the model still sees what it said, never dropped.
import { nestsDeeperThan } from '../edge/json-depth.ts';
import type { Adjustments } from './adjustments.ts';
import { isRecord } from './json-values.ts';

export const RAW_ARGUMENTS_KEY = '_raw';

export function functionInput(args: string, callId: string, notes: Adjustments): Record<string, unknown> {
  if (args.trim() === '') return {};
  const parsed = parseObject(args);
  if (parsed) return parsed;
  notes.add(`arguments of tool call ${callId} were not a JSON object, sent as {"${RAW_ARGUMENTS_KEY}": text}`);
  return { [RAW_ARGUMENTS_KEY]: args };
}

/** Custom (free-text) tools take `{input: text}`; a client may also have sent that object as JSON. */
export function customInput(text: string): { input: string } {
  const parsed = parseObject(text);
  if (parsed && typeof parsed.input === 'string' && Object.keys(parsed).length === 1) return { input: parsed.input };
  return { input: text };
}

/** An object from JSON text, also when wrapped in a Markdown code fence. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  for (const candidate of [text, unfence(text)]) {
    // Arguments nested past the body limit stay text: nothing recursive may walk them.
    if (candidate === undefined || nestsDeeperThan(candidate)) continue;
    try {
      const value: unknown = JSON.parse(candidate);
      if (isRecord(value)) return value;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

function unfence(text: string): string | undefined {
  const match = /^\s*```[a-z]*\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return match ? match[1] : undefined;
}
