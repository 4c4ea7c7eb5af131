// The upstream body, serialised once per request and in proportion to what is new: the UTF-8 JSON of each
// message, of the tools and of the system prompt is remembered (objects by identity, long strings by value),
// and the prefix state hands a conversation's unchanged messages, tools and system on as the same objects from
// turn to turn, so a turn serialises and encodes only what is new in it and copies the rest into one buffer.
// The bytes are exactly those of JSON.stringify(params): the shell keeps the request's own key order, and a
// value is never changed once built (every transform copies).
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages';
import { IdentityMemo } from '../reduce/identity-memo.ts';

// Remembered per object, and for long strings (an agent's system prompt) by value; shorter strings are cheaper
// to serialise again than to look up.
const remembered = new IdentityMemo<Buffer>();
const LONG_STRING = 1024;

/**
 * A remembered value's bytes in a buffer of their own: Buffer.from would hand a small one out of a shared 8 KB
 * slab, and a remembered slice would keep its whole slab alive for as long as the conversation is kept.
 */
function ownBytes(json: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
  bytes.write(json);
  return bytes;
}

function bytesOf(value: unknown): Buffer {
  if (typeof value === 'string' && value.length < LONG_STRING) return Buffer.from(JSON.stringify(value));
  return remembered.get(value, '', () => ownBytes(JSON.stringify(value)));
}

/** Numbers no request carries, standing in for the big fields while the rest is serialised. */
const HOLES = { messages: -7.291e-300, system: -7.292e-300, tools: -7.293e-300 } as const;
type Hole = keyof typeof HOLES;
const HOLE_TEXT: Record<Hole, string> = {
  messages: `"messages":${JSON.stringify(HOLES.messages)}`,
  system: `"system":${JSON.stringify(HOLES.system)}`,
  tools: `"tools":${JSON.stringify(HOLES.tools)}`,
};
const FIRST_TURN_MESSAGES = 2;
const COMMA = Buffer.from(',');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

/** The upstream body as bytes: what the chat and Responses routes send. */
export function upstreamBody(params: MessageCreateParams): Buffer {
  // A first turn (a message or two) has nothing remembered to reuse: the plain way is cheaper.
  if (!Array.isArray(params.messages) || params.messages.length <= FIRST_TURN_MESSAGES) return Buffer.from(JSON.stringify(params));
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
    if (at === -1 || shell.includes(HOLE_TEXT[key], at + 1)) return Buffer.from(JSON.stringify(params));
    spots.push({ key, at });
  }
  spots.sort((a, b) => a.at - b.at);
  const parts: Buffer[] = [];
  let from = 0;
  for (const { key, at } of spots) {
    parts.push(Buffer.from(`${shell.slice(from, at)}"${key}":`));
    if (key === 'messages') {
      parts.push(OPEN);
      params.messages.forEach((message, i) => {
        if (i > 0) parts.push(COMMA);
        parts.push(bytesOf(message));
      });
      parts.push(CLOSE);
    } else {
      parts.push(bytesOf(params[key]));
    }
    from = at + HOLE_TEXT[key].length;
  }
  parts.push(Buffer.from(shell.slice(from)));
  return Buffer.concat(parts);
}
