// The upstream body, serialised once per request and in proportion to what is new: the JSON of each message,
// of the tools and of the system prompt is remembered (objects by identity, long strings by value), and the
// prefix state hands a conversation's unchanged messages, tools and system on as the same objects from turn to
// turn, so a turn serialises only what is new in it and joins the rest. The result is exactly
// JSON.stringify(params): the shell keeps the request's own key order, and a value is never changed once
// built (every transform copies).
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';

const objectJson = new WeakMap<object, string>();
// System prompts are often plain strings (tens of KB for agents), which a WeakMap cannot hold: the most recent
// ones are kept by value. A string's hash is computed once per string object, so a hit costs little.
const stringJson = new Map<string, string>();
const MAX_STRINGS = 64;
const LONG_STRING = 1024;

function jsonOf(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    let json = objectJson.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      objectJson.set(value, json);
    }
    return json;
  }
  if (typeof value !== 'string' || value.length < LONG_STRING) return JSON.stringify(value);
  let json = stringJson.get(value);
  if (json === undefined) {
    if (stringJson.size >= MAX_STRINGS) stringJson.delete(stringJson.keys().next().value!);
    json = JSON.stringify(value);
    stringJson.set(value, json);
  }
  return json;
}

/** Numbers no request carries, standing in for the big fields while the rest is serialised. */
const HOLES = { messages: -7.291e-300, system: -7.292e-300, tools: -7.293e-300 } as const;
type Hole = keyof typeof HOLES;
const HOLE_TEXT: Record<Hole, string> = {
  messages: `"messages":${JSON.stringify(HOLES.messages)}`,
  system: `"system":${JSON.stringify(HOLES.system)}`,
  tools: `"tools":${JSON.stringify(HOLES.tools)}`,
};

export function serializeParams(params: MessageCreateParams): string {
  if (!Array.isArray(params.messages)) return JSON.stringify(params);
  const shellParams: Record<string, unknown> = { ...params, messages: HOLES.messages };
  const filled: Hole[] = ['messages'];
  for (const key of ['system', 'tools'] as const) {
    if (params[key] !== undefined) {
      shellParams[key] = HOLES[key];
      filled.push(key);
    }
  }
  const shell = JSON.stringify(shellParams);
  const spots: Array<{ key: Hole; at: number }> = [];
  for (const key of filled) {
    const at = shell.indexOf(HOLE_TEXT[key]);
    // Each hole must be found exactly once; anything else is serialised the plain way.
    if (at === -1 || shell.includes(HOLE_TEXT[key], at + 1)) return JSON.stringify(params);
    spots.push({ key, at });
  }
  spots.sort((a, b) => a.at - b.at);
  let out = '';
  let from = 0;
  for (const { key, at } of spots) {
    const value = key === 'messages' ? `[${params.messages.map(jsonOf).join(',')}]` : jsonOf(params[key]);
    out += `${shell.slice(from, at)}"${key}":${value}`;
    from = at + HOLE_TEXT[key].length;
  }
  return out + shell.slice(from);
}
